# 10-stabilizing-fashion.gp - chapter 10 on Fashion-MNIST. Left: the
# FCD of every experiment run there, at the same budget, with the
# floor (real training images against the test images). Middle and
# right: the first steps of the runs that train G with the
# non-saturating loss (baseline) and the minimax loss (minimax): the
# norm of G's gradient under each loss, measured on the same codes, and
# D(G(z)).
# Run by the program, or by hand:
#   gnuplot -e "dir='out/10-stabilizing'; out='x.png'" \
#       plots/10-stabilizing-fashion.gp
if (!exists("dir")) dir = 'out/10-stabilizing'
if (!exists("out")) out = dir.'/10-stabilizing-fashion.png'

table = dir.'/table.csv'
first_steps = 500
set datafile separator comma
exists_file(f) = int(system(sprintf("test -f '%s' && echo 1 || echo 0", f)))

set terminal pngcairo size 1500,440 font 'Sans,10'
set output out
set multiplot layout 1,3 title 'Fashion-MNIST, chapter 8 networks'
set grid

# the experiments measured on images: the rows with an FCD (column
# 27, the mean over the seeds; the floor 29)
measured = sprintf("< awk -F, 'NR > 1 && $27 != \"NaN\"' '%s'", table)
stats [*:*] [*:*] measured using 29 nooutput
floor = STATS_min
set title sprintf('FCD of 10,000 samples (lower is better; floor %.2f)', \
                  floor)
names = system(sprintf("awk -F, 'NR > 1 && $27 != \"NaN\" \
                         { printf \"%%s \", $1 }' '%s'", table))
set style fill solid 0.7 noborder
set boxwidth 0.6
set xrange [-0.6:STATS_records - 0.4]
set logscale y
set yrange [0.3:1000]
set format y '%g'
set ylabel 'FCD (log scale)'
set xtics rotate by -35 font 'Sans,9' nomirror
unset key
# bars: the mean over the seeds; dots: each seed
plot measured using 0:27:xtic(1) with boxes lc rgb '#92c5de', \
     for [i = 1:words(names)] dir.'/'.word(names, i).'/fashion.csv' \
         using (i - 1):3 skip 1 with points pt 7 ps 0.8 \
         lc rgb '#053061', \
     floor with lines dt 2 lw 2 lc rgb 'black'
unset logscale y

set xtics norotate font 'Sans,10' autofreq
set xlabel 'step'
set xrange [0:first_steps]
set ylabel '|grad of G|'
set logscale y
set yrange [1e-4:100]
set format y '10^{%T}'
set y2label 'mean D(G(z)) over the last 10 or 50 steps'
set y2range [0:1]
set y2tics 0,0.2,1
set ytics nomirror
set key bottom right
do for [run in 'baseline minimax'] {
    log = dir.'/'.run.'/fashion-log.csv'
    set title sprintf("The first steps of '%s': G's gradient norm", run)
    if (exists_file(log)) {
        plot log using 1:6 skip 1 with linespoints pt 7 ps 0.4 lw 2 \
                 lc rgb '#2166ac' title 'non-saturating loss', \
             log using 1:7 skip 1 with linespoints pt 7 ps 0.4 lw 2 \
                 lc rgb '#b2182b' title 'minimax loss', \
             log using 1:5 skip 1 axes x1y2 with lines dt 2 \
                 lc rgb 'black' title 'D(G(z)) (right axis)'
    }
}
unset multiplot
