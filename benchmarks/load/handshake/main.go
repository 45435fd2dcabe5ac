// The load generator of the handshake-tls profile: every request on a new connection with a full TLS
// 1.3 handshake. wrk cannot do that: it keeps each connection's SSL object across reconnects
// (SSL_shutdown + SSL_clear keep the session), so from its second connection on it resumes the session
// from the server's ticket (every TLS contender sends tickets), and "Options = -SessionTicket" in its
// OpenSSL config does not stop that in TLS 1.3.
//
//	handshake [-c 256] [-d 10s] [-timeout 10s] https://127.0.0.1:PORT/
//
// Each of -c workers loops: dial, handshake (X25519, TLS 1.3 only, ALPN http/1.1, no session cache:
// never resumed), send one request with Connection: close (the baseline requests rotated: GET, POST
// with Content-Length, chunked POST of /baseline11), read the response, close. Workers start no new
// connection after -d; the ones open then finish. Latency runs from the dial to the response's last
// byte (wrk's starts at the request write). The certificate is not verified, as wrk does not; the
// harness checks it with curl --cacert. Prints wrk-like lines and the WRKSTATS line run.sh parses.
// Standard library only: built offline by run.sh with Debian's Go.
package main

import (
	"bufio"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type stats struct {
	requests, bytes                       int64
	connect, read, write, status, timeout int64
	resumed                               int64
	latenciesUs                           []uint32
}

func (s *stats) add(o *stats) {
	s.requests += o.requests
	s.bytes += o.bytes
	s.connect += o.connect
	s.read += o.read
	s.write += o.write
	s.status += o.status
	s.timeout += o.timeout
	s.resumed += o.resumed
	s.latenciesUs = append(s.latenciesUs, o.latenciesUs...)
}

// baselineRequests mirrors lua/common.lua's baseline_requests("Connection: close\r\n").
func baselineRequests(hostPort string) [][]byte {
	h := "Host: " + hostPort + "\r\nConnection: close\r\n"
	queries := []string{"a=13&b=42", "a=7&b=1", "a=100&b=23"}
	bodies := []string{"20", "5", "1234"}
	var r [][]byte
	for i, q := range queries {
		b := bodies[i]
		r = append(r,
			[]byte("GET /baseline11?"+q+" HTTP/1.1\r\n"+h+"\r\n"),
			[]byte("POST /baseline11?"+q+" HTTP/1.1\r\n"+h+"Content-Type: text/plain\r\nContent-Length: "+
				strconv.Itoa(len(b))+"\r\n\r\n"+b),
			[]byte("POST /baseline11?"+q+" HTTP/1.1\r\n"+h+"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"+
				strconv.FormatInt(int64(len(b)), 16)+"\r\n"+b+"\r\n0\r\n\r\n"))
	}
	return r
}

var errStatus = errors.New("status")

// readResponse reads one response: status line, header section, then Content-Length bytes, a chunked
// body, or (neither) everything up to the close. Returns the bytes read.
func readResponse(r *bufio.Reader) (int64, int, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return int64(len(line)), 0, err
	}
	n := int64(len(line))
	fields := strings.Fields(line)
	if len(fields) < 2 || !strings.HasPrefix(fields[0], "HTTP/") {
		return n, 0, fmt.Errorf("bad status line %q", line)
	}
	code, err := strconv.Atoi(fields[1])
	if err != nil {
		return n, 0, fmt.Errorf("bad status line %q", line)
	}
	length, chunked := int64(-1), false
	for {
		line, err = r.ReadString('\n')
		n += int64(len(line))
		if err != nil {
			return n, code, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(name) {
		case "content-length":
			if length, err = strconv.ParseInt(value, 10, 64); err != nil {
				return n, code, fmt.Errorf("bad Content-Length %q", value)
			}
		case "transfer-encoding":
			chunked = strings.EqualFold(value, "chunked")
		}
	}
	var m int64
	switch {
	case chunked:
		m, err = readChunked(r)
	case length >= 0:
		m, err = io.CopyN(io.Discard, r, length)
	default:
		m, err = io.Copy(io.Discard, r)
	}
	return n + m, code, err
}

func readChunked(r *bufio.Reader) (int64, error) {
	var n int64
	for {
		line, err := r.ReadString('\n')
		n += int64(len(line))
		if err != nil {
			return n, err
		}
		size, err := strconv.ParseInt(strings.TrimSpace(strings.SplitN(line, ";", 2)[0]), 16, 64)
		if err != nil {
			return n, fmt.Errorf("bad chunk size %q", line)
		}
		m, err := io.CopyN(io.Discard, r, size+2) // the chunk and its CRLF
		n += m
		if err != nil {
			return n, err
		}
		if size == 0 {
			return n, nil // no trailers from the contenders
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// once runs one request on a new connection and records it in s.
func once(addr string, cfg *tls.Config, req []byte, timeout time.Duration, s *stats, first *sync.Once) {
	start := time.Now()
	raw, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		s.connect++
		return
	}
	defer raw.Close()
	raw.SetDeadline(start.Add(timeout))
	conn := tls.Client(raw, cfg)
	if err := conn.Handshake(); err != nil {
		if isTimeout(err) {
			s.timeout++
		} else {
			s.connect++
		}
		return
	}
	state := conn.ConnectionState()
	if state.DidResume {
		s.resumed++
	}
	first.Do(func() {
		fmt.Printf("TLS: %s, %s, ALPN %q, resumed %v\n", versionName(state.Version),
			tls.CipherSuiteName(state.CipherSuite), state.NegotiatedProtocol, state.DidResume)
	})
	if _, err := conn.Write(req); err != nil {
		if isTimeout(err) {
			s.timeout++
		} else {
			s.write++
		}
		return
	}
	n, code, err := readResponse(bufio.NewReader(conn))
	s.bytes += n
	if err != nil {
		if isTimeout(err) {
			s.timeout++
		} else {
			s.read++
		}
		return
	}
	s.requests++
	s.latenciesUs = append(s.latenciesUs, uint32(time.Since(start).Microseconds()))
	if code > 399 { // as wrk counts errors.status
		s.status++
	}
	conn.Close() // close_notify, then the socket (the server has closed or is closing its side)
}

func versionName(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLSv1.3"
	case tls.VersionTLS12:
		return "TLSv1.2"
	}
	return fmt.Sprintf("0x%04x", v)
}

func percentileUs(sorted []uint32, p float64) uint32 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	if i < 0 {
		i = 0
	}
	return sorted[i]
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	conns := flag.Int("c", 256, "concurrent connections (workers)")
	duration := flag.Duration("d", 10*time.Second, "how long workers start new connections")
	timeout := flag.Duration("timeout", 10*time.Second, "deadline of one connection, from the dial")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: handshake [-c N] [-d DURATION] [-timeout DURATION] https://HOST:PORT/")
		os.Exit(2)
	}
	u, err := url.Parse(flag.Arg(0))
	if err != nil || u.Scheme != "https" || u.Port() == "" {
		fmt.Fprintln(os.Stderr, "want https://HOST:PORT/, got", flag.Arg(0))
		os.Exit(2)
	}
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS13,
		MaxVersion:         tls.VersionTLS13,
		CurvePreferences:   []tls.CurveID{tls.X25519},
		NextProtos:         []string{"http/1.1"},
		InsecureSkipVerify: true, // as wrk; the harness verifies the certificate with curl --cacert
		// ClientSessionCache nil: no session is kept, so every handshake is a full one.
	}
	reqs := baselineRequests(u.Host)
	fmt.Printf("Running %s test @ %s\n  %d connections, a new TLS connection per request\n", *duration, u, *conns)

	var next uint64
	results := make([]stats, *conns)
	var first sync.Once
	var wg sync.WaitGroup
	cpu0, start := cpuTime(), time.Now()
	stop := start.Add(*duration)
	for w := 0; w < *conns; w++ {
		wg.Add(1)
		go func(s *stats) {
			defer wg.Done()
			for time.Now().Before(stop) {
				i := atomic.AddUint64(&next, 1)
				once(u.Host, cfg, reqs[i%uint64(len(reqs))], *timeout, s, &first)
			}
		}(&results[w])
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0

	var total stats
	for i := range results {
		total.add(&results[i])
	}
	sort.Slice(total.latenciesUs, func(i, j int) bool { return total.latenciesUs[i] < total.latenciesUs[j] })
	p50, p99 := percentileUs(total.latenciesUs, 50), percentileUs(total.latenciesUs, 99)
	fmt.Printf("  Latency (dial to last byte): p50 %.2fms, p99 %.2fms\n", float64(p50)/1000, float64(p99)/1000)
	fmt.Printf("  %d requests in %.2fs, %d bytes read\n", total.requests, elapsed.Seconds(), total.bytes)
	fmt.Printf("  Socket errors: connect %d, read %d, write %d, timeout %d\n", total.connect, total.read, total.write, total.timeout)
	fmt.Printf("  Non-2xx or 3xx responses: %d\n", total.status)
	fmt.Printf("  Resumed handshakes: %d (want 0)\n", total.resumed)
	fmt.Printf("Requests/sec: %.2f\n", float64(total.requests)/elapsed.Seconds())
	fmt.Printf("Generator CPU: %.0f%% of one core\n", 100*cpu.Seconds()/elapsed.Seconds())
	fmt.Printf("WRKSTATS requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d\n",
		total.requests, elapsed.Microseconds(), total.bytes, total.connect, total.read, total.write, total.status,
		total.timeout, p50, p99)
	if total.resumed > 0 {
		os.Exit(1)
	}
}
