# 14-infogan-seeds.gp - chapter 14's measure over seeds: the accuracy of
# c1 against the test classes after the best matching, epoch by epoch,
# every seed, on Fashion-MNIST and on the MNIST digits, with chapter
# 12's networks and with the paper's (--paper-nets). Reads
# <dir>-seed-1/epochs.csv or, without it, <dir>/epochs.csv (the default
# run, seed 1) and the runs the book lists, <dir>-seed-N,
# <dir>-paper-seed-N, <dir>-mnist-seed-N and <dir>-mnist-paper-seed-N;
# a run that is not there is left out.
#   gnuplot -e "dir='out/14-infogan'; out='x.png'" plots/14-infogan-seeds.gp
if (!exists("dir")) dir = 'out/14-infogan'
if (!exists("out")) out = dir.'/14-infogan-seeds.png'
set terminal pngcairo size 1100,480 font 'Sans,10' noenhanced
set output out
set datafile separator comma
set grid
set xlabel 'epoch'
set ylabel 'accuracy of c1 after the best matching'
set yrange [0:1]
set xrange [0.8:5.2]
set xtics 1
set key bottom right opaque
have(f) = system('test -f '.f.' && echo 1 || echo 0') + 0
# seed 1 of Fashion-MNIST is <dir>-seed-1 when there is one, else the
# default run itself
run(kind, s) = (kind eq '-seed-' && s == 1 && !have(dir.'-seed-1/epochs.csv')) ? dir.'/epochs.csv' : dir.kind.s.'/epochs.csv'
csv(kind, s) = have(run(kind, s)) ? run(kind, s) : '/dev/null'
set multiplot layout 1,2 title "InfoGAN: does the 10-way code find the classes? Every seed (chance after the matching: about 0.1)"
set title 'Fashion-MNIST'
plot for [s=1:5] csv('-seed-', s) using 1:2 skip 1 with linespoints pt 7 ps 0.6 lw 2 lc rgb '#3182bd' title (s == 1 ? "chapter 12's networks" : ''), \
     for [s=1:5] csv('-paper-seed-', s) using 1:2 skip 1 with linespoints pt 5 ps 0.6 lw 2 lc rgb '#de2d26' title (s == 1 ? "the paper's networks" : '')
set title 'MNIST digits (make mnist)'
set xrange [0.8:2.2]
plot for [s=1:5] csv('-mnist-seed-', s) using 1:2 skip 1 with linespoints pt 7 ps 0.6 lw 2 lc rgb '#3182bd' title (s == 1 ? "chapter 12's networks" : ''), \
     for [s=1:5] csv('-mnist-paper-seed-', s) using 1:2 skip 1 with linespoints pt 5 ps 0.6 lw 2 lc rgb '#de2d26' title (s == 1 ? "the paper's networks" : ''), \
     0.95 with lines dt 2 lc rgb 'gray40' title 'the paper: 0.95'
unset multiplot
