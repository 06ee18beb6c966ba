# 09-evaluation-epochs.gp - chapter 9's figure for a whole training
# run (--ckpt-dir): each number against the epoch of the checkpoint,
# beside what the real images score.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/09-evaluation'; out='x.png'" \
#           plots/09-evaluation-epochs.gp
if (!exists("dir")) dir = 'out/09-evaluation'
if (!exists("out")) out = dir.'/09-evaluation-epochs.png'

set terminal pngcairo size 1100,800 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 2,2 title 'When to stop: every epoch of a training run'
log = dir.'/epochs.csv'
# whole epochs, and room on both sides even for a single checkpoint
stats log using 1 skip 1 nooutput
set xrange [STATS_min - 0.5:STATS_max + 0.5]
xstep = STATS_max - STATS_min > 12 ? 2 : 1
set xtics xstep
set xlabel 'epoch'
set grid
set key top right opaque
set offsets 0, 0, graph 0.08, graph 0.08

set title 'FCD to the test images (lower is better)'
set ylabel 'FCD'
set logscale y
set offsets 0, 0, 0, 0 # a log axis needs no margin
plot log using 1:2 skip 1 with linespoints lw 2 pt 7 ps 0.6 \
         lc rgb '#d73027' title 'generated', \
     ''  using 1:3 skip 1 with lines dt 2 lw 2 lc rgb '#4575b4' \
         title 'floor: training images'
unset logscale y
set offsets 0, 0, graph 0.08, graph 0.08

set title 'Classifier score (higher is better), classes missing'
set ylabel 'classifier score'
set y2label 'classes missing'
set y2range [0:10]
set y2tics 0, 1
set ytics nomirror
set key center right
plot log using 1:4 skip 1 with linespoints lw 2 pt 7 ps 0.6 \
         lc rgb '#d73027' title 'score, generated', \
     ''  using 1:5 skip 1 with lines dt 2 lw 2 lc rgb '#4575b4' \
         title 'score, test images', \
     ''  using 1:7 skip 1 axes x1y2 with linespoints dt 3 lw 1.5 pt 5 \
         ps 0.5 lc rgb '#1a9850' title 'classes missing'
unset y2label
unset y2tics
set ytics mirror

set title 'Parzen log-likelihood of the test images'
set key bottom right
set ylabel 'nats (mean +- standard error)'
plot log using 1:9:10 skip 1 with yerrorlines lw 2 pt 7 ps 0.6 \
         lc rgb '#d73027' title 'density of the samples', \
     ''  using 1:12 skip 1 with lines dt 2 lw 2 lc rgb '#4575b4' \
         title 'density of training images'

set title 'Distance to the nearest training image (median)'
set key top right
set ylabel 'L2, pixels in [0, 1]'
plot log using 1:13 skip 1 with linespoints lw 2 pt 7 ps 0.6 \
         lc rgb '#d73027' title 'generated', \
     ''  using 1:14 skip 1 with lines dt 2 lw 2 lc rgb '#4575b4' \
         title 'test images'
unset multiplot
