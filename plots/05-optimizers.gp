# 05-optimizers.gp - chapter 5's training curves: the loss on a fixed
# set of 2,000 training images during training, for three optimisers
# (left, all He-initialised) and three initialisations (right, all
# trained with plain SGD; the He curve is the sgd run of the left).
# Run by the program, or by hand:
#   gnuplot -e "dir='out/05-optimizers'; out='x.png'" plots/05-optimizers.gp
if (!exists("dir")) dir = 'out/05-optimizers'
if (!exists("out")) out = dir.'/05-optimizers.png'

set terminal pngcairo size 1100,450 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 1,2 title 'Loss on 2,000 training images during training (same seed, same batches)'

log = dir.'/log.csv'
set xlabel 'step'
set ylabel 'loss (mean cross-entropy)'
set logscale y
set yrange [0.25:3]
set ytics (0.3, 0.4, 0.5, 0.7, 1, 1.5, 2, 3)
set grid
set key top right

set title 'Optimisers (He initialisation)'
plot log using 1:2 skip 1 with lines lw 2 title 'SGD, lr 0.1', \
     ''  using 1:3 skip 1 with lines lw 2 title 'momentum 0.9, lr 0.01', \
     ''  using 1:4 skip 1 with lines lw 2 title 'Adam, lr 0.001'

set title 'Initialisations (plain SGD, lr 0.1)'
plot log using 1:5 skip 1 with lines lw 2 title 'small: N(0, 0.01^2)', \
     ''  using 1:6 skip 1 with lines lw 2 title 'Xavier', \
     ''  using 1:2 skip 1 with lines lw 2 title 'He'
unset multiplot
