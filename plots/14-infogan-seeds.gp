# 14-infogan-seeds.gp - chapter 14's measure over seeds: the accuracy of
# c1 against the test classes after the best matching, epoch by epoch,
# for five seeds on Fashion-MNIST and five on the MNIST digits. Reads
# <dir>/epochs.csv (seed 1), <dir>-seed-N/ and <dir>-mnist-seed-N/ for
# the runs the book lists; a missing run is left out.
#   gnuplot -e "dir='out/14-infogan'; out='x.png'" plots/14-infogan-seeds.gp
if (!exists("dir")) dir = 'out/14-infogan'
if (!exists("out")) out = dir.'/14-infogan-seeds.png'
set terminal pngcairo size 1100,450 font 'Sans,10' noenhanced
set output out
set datafile separator comma
set grid
set xlabel 'epoch'
set ylabel 'accuracy of c1 after the best matching'
set yrange [0:1]
set xrange [0.8:*]
set key bottom right
exists_file(f) = system('test -f '.f.' && echo 1 || echo 0') + 0
fashion(s) = s == 1 ? dir.'/epochs.csv' : dir.'-seed-'.s.'/epochs.csv'
digits(s) = dir.'-mnist-seed-'.s.'/epochs.csv'
set multiplot layout 1,2 title 'InfoGAN: does the 10-way code find the classes? (every seed, chance after matching about 0.1)'
set title 'Fashion-MNIST'
plot for [s=1:5] (exists_file(fashion(s)) ? fashion(s) : '/dev/null') \
     using 1:2 skip 1 with linespoints pt 7 ps 0.6 lw 2 title 'seed '.s
set title 'MNIST digits (make mnist; the paper: 95% on its best run)'
plot for [s=1:5] (exists_file(digits(s)) ? digits(s) : '/dev/null') \
     using 1:2 skip 1 with linespoints pt 7 ps 0.6 lw 2 title 'seed '.s, \
     0.95 with lines dt 2 lc rgb 'gray40' title 'the paper, 0.95'
unset multiplot
