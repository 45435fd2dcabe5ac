// The load application on Go's fasthttp (Debian's golang-github-valyala-fasthttp-dev, 1.31), the
// library fasthttp4j ports: one fasthttp.Server, GOMAXPROCS left to the Go runtime (the CPUs the
// process may run on, so one when the harness pins it), the JSON serialised per request with
// encoding/json over the same 50-item dataset as Dataset.java. HTTPS when TLS_CERT and TLS_KEY are set
// (see tlsListener).
package main

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"log"
	"math"
	"net"
	"os"
	"runtime"
	"strconv"

	"github.com/valyala/fasthttp"
)

type Rating struct {
	Score jfloat  `json:"score"`
	Count int     `json:"count"`
}

type Item struct {
	ID       int      `json:"id"`
	Name     string   `json:"name"`
	Category string   `json:"category"`
	Price    jfloat   `json:"price"`
	Quantity int      `json:"quantity"`
	Active   bool     `json:"active"`
	Tags     []string `json:"tags"`
	Rating   Rating   `json:"rating"`
	Total    jfloat   `json:"total"`
}

type Items struct {
	Items []Item `json:"items"`
	Count int    `json:"count"`
}

var (
	categories = []string{"tools", "garden", "kitchen", "toys", "books"}
	tags       = []string{"new", "sale", "popular", "eco", "limited", "gift"}
	dataset    = buildDataset()

	textPlain       = []byte("text/plain")
	applicationJSON = []byte("application/json")
	ok              = []byte("ok")
)

// jfloat is a float64 written as Java's Double.toString writes it (and so Jackson): the shortest
// digits that read back the same, with ".0" on whole numbers ("3.0", where Go writes "3"), so that
// the JSON bytes match the JVM contenders'. Valid for the magnitudes here (1e-3 to 1e7).
type jfloat float64

func (f jfloat) MarshalJSON() ([]byte, error) {
	b := strconv.AppendFloat(make([]byte, 0, 24), float64(f), 'f', -1, 64)
	for _, c := range b {
		if c == '.' {
			return b, nil
		}
	}
	return append(b, '.', '0'), nil
}

// javaRound is Java's Math.round(double) for the values used here: floor(x + 0.5).
func javaRound(x float64) float64 { return math.Floor(x + 0.5) }

// buildDataset mirrors Dataset.java term by term (explicit float64 conversions keep every product
// rounded on its own, as in Java: no fused multiply-add).
func buildDataset() []Item {
	items := make([]Item, 50)
	for i := range items {
		id := i + 1
		items[i] = Item{
			ID:       id,
			Name:     "Item " + strconv.Itoa(id),
			Category: categories[i%len(categories)],
			Price:    jfloat(javaRound(float64(4.99+float64(float64(i)*1.37))*100) / 100.0),
			Quantity: 1 + (i*7)%23,
			Active:   i%3 != 0,
			Tags:     []string{tags[i%len(tags)], tags[(i+2)%len(tags)]},
			Rating: Rating{
				Score: jfloat(javaRound(float64(3.0+float64(i%20)/10.0)*10) / 10.0),
				Count: 10 + i*13,
			},
		}
	}
	return items
}

func jsonItems(count, m int) ([]byte, error) {
	if count < 0 {
		count = 0
	}
	if count > len(dataset) {
		count = len(dataset)
	}
	out := Items{Items: make([]Item, count), Count: count}
	for i := 0; i < count; i++ {
		it := dataset[i]
		it.Total = jfloat(javaRound(float64(float64(float64(float64(it.Price)*float64(it.Quantity))*float64(m))*100)) / 100.0)
		out.Items[i] = it
	}
	return json.Marshal(&out)
}

func parseLenient(b []byte) int64 {
	var n int64
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

func send(ctx *fasthttp.RequestCtx, contentType, body []byte) {
	ctx.SetContentTypeBytes(contentType)
	ctx.SetBody(body)
}

func handle(ctx *fasthttp.RequestCtx) {
	path := ctx.Path()
	switch string(path) {
	case "/pipeline":
		send(ctx, textPlain, ok)
	case "/baseline11":
		var sum int64
		ctx.QueryArgs().VisitAll(func(_, v []byte) { sum += parseLenient(v) })
		if ctx.IsPost() {
			sum += parseLenient(ctx.PostBody())
		}
		send(ctx, textPlain, strconv.AppendInt(nil, sum, 10))
	case "/upload":
		send(ctx, textPlain, strconv.AppendInt(nil, int64(len(ctx.PostBody())), 10))
	default:
		const prefix = "/json/"
		if len(path) <= len(prefix) || string(path[:len(prefix)]) != prefix {
			ctx.SetStatusCode(fasthttp.StatusNotFound)
			return
		}
		count, err := strconv.Atoi(string(path[len(prefix):]))
		if err != nil {
			ctx.SetStatusCode(fasthttp.StatusNotFound)
			return
		}
		m := 1
		if mb := ctx.QueryArgs().Peek("m"); mb != nil {
			m = int(parseLenient(mb))
		}
		body, err := jsonItems(count, m)
		if err != nil {
			ctx.SetStatusCode(fasthttp.StatusInternalServerError)
			return
		}
		ctx.SetContentTypeBytes(applicationJSON)
		ctx.Response.SetBodyRaw(body)
	}
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: gofasthttp-server PORT")
	}
	addr := "127.0.0.1:" + os.Args[1]
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		log.Fatal(err)
	}
	s := &fasthttp.Server{
		Handler:              handle,
		Name:                 "bench",
		NoDefaultContentType: true,
		MaxRequestBodySize:   64 << 20,
	}
	scheme := "http"
	if cert := os.Getenv("TLS_CERT"); cert != "" {
		ln, err = tlsListener(ln, cert, os.Getenv("TLS_KEY"))
		if err != nil {
			log.Fatal(err)
		}
		scheme = "https"
	}
	fmt.Printf("gofasthttp listening on %s://%s (GOMAXPROCS %d)\n", scheme, addr, runtime.GOMAXPROCS(0))
	if err := s.Serve(ln); err != nil {
		log.Fatal(err)
	}
}

// tlsListener wraps ln in Go's crypto/tls with the settings every TLS contender uses, for the TLS
// profiles (the harness sets TLS_CERT and TLS_KEY): TLS 1.3 only, ALPN http/1.1. It is what
// fasthttp's ServeTLS does (tls.NewListener, then Serve), with a tls.Config of our own: fasthttp 1.31
// has no field for one, and its default allows TLS 1.2 and offers no ALPN. Go has no setting for TLS
// 1.3 cipher suites; with AES hardware on both ends it picks TLS_AES_128_GCM_SHA256, as the others
// are configured to (the harness checks what each one negotiates).
func tlsListener(ln net.Listener, certFile, keyFile string) (net.Listener, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	return tls.NewListener(ln, &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS13,
		NextProtos:   []string{"http/1.1"},
	}), nil
}
