# 03-matrices-training.gp - chapter 3's second figure: loss and accuracy
# per epoch on the training and the test points, and the network's
# p(class 1 | x) over the plane with the test points.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/03-matrices'; out='x.png'" plots/03-matrices-training.gp
if (!exists("dir")) dir = 'out/03-matrices'
if (!exists("out")) out = dir.'/03-matrices-training.png'

set terminal pngcairo size 1400,500 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 1,3 title 'Mini-batch SGD on noisy moons: 1,000 training points, 1,000 test points'

set title 'Loss (binary cross-entropy)'
set xlabel 'epoch'
set ylabel 'loss'
set key top right
plot dir.'/log.csv' using 1:2 skip 1 with lines lw 2 title 'train', \
     ''             using 1:4 skip 1 with lines lw 2 title 'test'

set title 'Accuracy'
set ylabel 'share of points right'
set key bottom right
plot dir.'/log.csv' using 1:3 skip 1 with lines lw 2 title 'train', \
     ''             using 1:5 skip 1 with lines lw 2 title 'test'

set title 'Test points, and the boundary p = 0.5'
set palette defined (0 '#4575b4', 0.5 '#f7f7f7', 1 '#d73027')
set cbrange [0:1]
set cblabel 'p'
set size ratio -1
set xlabel 'x1'
set ylabel 'x2'
unset key
set view map
set contour base
set cntrparam levels discrete 0.5
unset clabel
map = dir.'/map.csv'
pts = dir.'/points-test.csv'
stats map using 1 skip 1 nooutput
set xrange [STATS_min:STATS_max]
set yrange [STATS_min:STATS_max]
splot map using 1:2:3 skip 1 with pm3d nocontour, \
      map using 1:2:3 skip 1 with lines nosurface lw 2 lc rgb 'black', \
      pts using 1:($3 == 0 ? $2 : 1/0):(0) skip 1 with points nocontour pt 7 ps 0.4 lc rgb '#08306b', \
      pts using 1:($3 == 1 ? $2 : 1/0):(1) skip 1 with points nocontour pt 5 ps 0.4 lc rgb '#67000d'
unset multiplot
