# 10-stabilizing-probe.gp - why the minimax loss stalls: chapter 7's
# untrained generator is frozen and D alone trains against it. Left:
# the norm of G's gradient under each loss, and D(G(z)). Right: the
# ratio of the two norms against D(G(z)); the curve is the ratio of
# the two losses' derivatives at the logit, D / (1 - D).
# Run by the program, or by hand:
#   gnuplot -e "dir='out/10-stabilizing'; out='x.png'" \
#       plots/10-stabilizing-probe.gp
if (!exists("dir")) dir = 'out/10-stabilizing'
if (!exists("out")) out = dir.'/10-stabilizing-probe.png'

probe = dir.'/demo/probe.csv'
set terminal pngcairo size 1200,420 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 1,2 title \
    "D trained alone against a frozen, untrained G (the grid)"
set grid

set title "G's gradient norm on the same 100 codes"
set xlabel "D's steps"
set ylabel '|grad of G|'
set logscale y
set y2label 'mean D(G(z))'
set y2range [0:1]
set y2tics 0,0.2,1
set ytics nomirror
set key top left
plot probe using 1:3 skip 1 with lines lw 2 lc rgb '#2166ac' \
         title 'non-saturating  -log D(G(z))', \
     probe using 1:4 skip 1 with lines lw 2 lc rgb '#b2182b' \
         title 'minimax  log(1 - D(G(z)))', \
     probe using 1:2 skip 1 axes x1y2 with lines lw 1 dt 2 \
         lc rgb 'black' title 'D(G(z)) (right axis)'

set title 'minimax / non-saturating'
set xlabel 'mean D(G(z))'
set ylabel 'ratio of the gradient norms'
unset y2label
unset y2tics
set logscale xy
set key top left
plot probe using 2:($4 / $3) skip 1 with points pt 7 ps 0.6 \
         lc rgb '#4d4d4d' title 'measured', \
     [0.005:0.9] x / (1 - x) with lines lw 2 lc rgb '#b2182b' \
         title 'D / (1 - D)'
unset multiplot
