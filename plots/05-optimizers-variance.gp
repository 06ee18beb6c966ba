# 05-optimizers-variance.gp - chapter 5's second figure: the variance
# of the pre-activations, layer by layer, through a deep stack of
# freshly initialised ReLU layers, for each initialisation.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/05-optimizers'; out='x.png'" plots/05-optimizers-variance.gp
if (!exists("dir")) dir = 'out/05-optimizers'
if (!exists("out")) out = dir.'/05-optimizers-variance.png'

set terminal pngcairo size 800,500 font 'Sans,10'
set output out
set datafile separator comma
set title 'Variance of the pre-activations z through an untrained ReLU stack'
set xlabel 'layer'
set ylabel 'Var(z)'
set logscale y
set format y '10^{%L}'
set grid
set key bottom left
var = dir.'/variance.csv'
# Dashed: the chapter's prediction, each layer after the first
# multiplying Var(z) by fan_in Var(w) / 2, started from the measured
# first layer (the columns *_predicted, computed by the program).
plot var using 1:4 skip 1 with linespoints lw 2 pt 7 ps 0.7 lc 1 title 'He: N(0, 2/fan_{in})', \
     ''  using 1:3 skip 1 with linespoints lw 2 pt 7 ps 0.7 lc 2 title 'Xavier: U(-a, a), a^2 = 6/(fan_{in} + fan_{out})', \
     ''  using 1:2 skip 1 with linespoints lw 2 pt 7 ps 0.7 lc 3 title 'small: N(0, 0.01^2)', \
     ''  using 1:7 skip 1 with lines dt 2 lw 1 lc 1 title 'predicted', \
     ''  using 1:6 skip 1 with lines dt 2 lw 1 lc 2 notitle, \
     ''  using 1:5 skip 1 with lines dt 2 lw 1 lc 3 notitle
