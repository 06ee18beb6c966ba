# 01-neuron.gp - chapter 1's figure: the loss of each task over
# training, and what each neuron learned, drawn over its data.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/01-neuron'; out='x.png'" plots/01-neuron.gp
if (!exists("dir")) dir = 'out/01-neuron'
if (!exists("out")) out = dir.'/01-neuron.png'

set terminal pngcairo size 1100,900 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 2,2 title 'One neuron: loss during training, and p(class 1 | x) after it'

set title 'Loss (binary cross-entropy)'
set xlabel 'step'
set ylabel 'loss'
set logscale y
set key top right
plot dir.'/log.csv' using 1:2 skip 1 with lines lw 2 title 'AND', \
     ''             using 1:4 skip 1 with lines lw 2 title 'OR', \
     ''             using 1:6 skip 1 with lines lw 2 title 'blobs'
unset logscale y

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

do for [task in 'and or blobs'] {
    set title sprintf('%s: data, and the boundary p = 0.5', task)
    map = dir.'/map-'.task.'.csv'
    pts = dir.'/points-'.task.'.csv'
    set autoscale xy
    stats map using 1 skip 1 nooutput
    set xrange [STATS_min:STATS_max]
    set yrange [STATS_min:STATS_max]
    splot map using 1:2:3 skip 1 with pm3d nocontour, \
          map using 1:2:3 skip 1 with lines nosurface lw 2 lc rgb 'black', \
          pts using 1:($3 == 0 ? $2 : 1/0):(0) skip 1 with points nocontour pt 7 ps 1.0 lc rgb '#08306b', \
          pts using 1:($3 == 1 ? $2 : 1/0):(1) skip 1 with points nocontour pt 5 ps 1.0 lc rgb '#67000d'
}
unset multiplot
