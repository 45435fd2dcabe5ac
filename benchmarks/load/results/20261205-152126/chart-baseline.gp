set terminal pngcairo size 1200,450 font ",11" noenhanced
set output "baseline.png"
set multiplot layout 1,2 title "baseline: server pinned to one CPU (median, bars min-max)"
set style fill solid 0.7 border -1
set boxwidth 0.6
set offsets 0.5, 0.5, 0, 0
set grid ytics
set yrange [0:*]
set xtics rotate by -30
unset key
set title "server CPU us per request (lower is better)"
plot "chart-baseline.dat" using 0:2:3:4:(0.6):xtic(1) with boxerrorbars lc rgb "#4477aa"
set title "requests per second (higher is better)"
plot "chart-baseline.dat" using 0:5:6:7:(0.6):xtic(1) with boxerrorbars lc rgb "#66aa55"
unset multiplot
