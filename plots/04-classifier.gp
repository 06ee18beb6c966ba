# 04-classifier.gp - chapter 4's learning curves: the loss and the
# accuracy on the training and the test set after every epoch.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/04-classifier'; out='x.png'" plots/04-classifier.gp
if (!exists("dir")) dir = 'out/04-classifier'
if (!exists("out")) out = dir.'/04-classifier.png'

set terminal pngcairo size 1100,450 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 1,2 title 'Softmax MLP: learning curves (epoch 0 is before any training)'

log = dir.'/log.csv'
set xlabel 'epoch'
set grid
set key top right

set title 'Loss (mean cross-entropy)'
set ylabel 'loss'
set logscale y
plot log using 1:3 skip 1 with linespoints lw 2 pt 7 ps 0.6 title 'train', \
     ''  using 1:5 skip 1 with linespoints lw 2 pt 7 ps 0.6 title 'test'
unset logscale y

set title 'Accuracy (epochs 1 on)'
set ylabel 'fraction right'
set key bottom right
set yrange [*:1]
plot log using 1:($1 > 0 ? $4 : 1/0) skip 1 with linespoints lw 2 pt 7 ps 0.6 title 'train', \
     ''  using 1:($1 > 0 ? $6 : 1/0) skip 1 with linespoints lw 2 pt 7 ps 0.6 title 'test'
unset multiplot
