# 02-backprop.gp - chapter 2's figure: on XOR (top) and on the moons
# (bottom), what one neuron and the two-layer network learned, drawn
# over the data, and both models' loss during training.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/02-backprop'; out='x.png'" plots/02-backprop.gp
if (!exists("dir")) dir = 'out/02-backprop'
if (!exists("out")) out = dir.'/02-backprop.png'

set terminal pngcairo size 1500,950 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 2,3 title 'One neuron against two layers: p(class 1 | x) after training, and the loss during it'

set palette defined (0 '#4575b4', 0.5 '#f7f7f7', 1 '#d73027')
set cbrange [0:1]
set view map
set contour base
set cntrparam levels discrete 0.5
unset clabel

# log.csv columns: step, then loss and accuracy of the neuron and of
# the network on xor (2-5) and on moons (6-9)
do for [t = 1:2] {
    task = word('xor moons', t)
    pts = dir.'/points-'.task.'.csv'
    do for [m = 1:2] {
        model = word('neuron net', m)
        set title sprintf('%s, %s: data, and the boundary p = 0.5', \
                          task, word('neuron two-layer', m))
        map = dir.'/map-'.task.'-'.model.'.csv'
        set size ratio -1
        set xlabel 'x1'
        set ylabel 'x2'
        set cblabel 'p'
        unset key
        unset logscale y
        set autoscale xy
        stats map using 1 skip 1 nooutput
        set xrange [STATS_min:STATS_max]
        set yrange [STATS_min:STATS_max]
        splot map using 1:2:3 skip 1 with pm3d nocontour, \
              map using 1:2:3 skip 1 with lines nosurface lw 2 lc rgb 'black', \
              pts using 1:($3 == 0 ? $2 : 1/0):(0) skip 1 with points nocontour pt 7 ps 0.8 lc rgb '#08306b', \
              pts using 1:($3 == 1 ? $2 : 1/0):(1) skip 1 with points nocontour pt 5 ps 0.8 lc rgb '#67000d'
    }
    set title sprintf('%s: loss (binary cross-entropy)', task)
    set size noratio
    set autoscale xy
    set xlabel 'step'
    set ylabel 'loss'
    set logscale y
    set key bottom left
    plot dir.'/log.csv' using 1:(column(4 * t - 2)) skip 1 with lines lw 2 title 'neuron', \
         ''             using 1:(column(4 * t)) skip 1 with lines lw 2 title 'two-layer'
}
unset multiplot
