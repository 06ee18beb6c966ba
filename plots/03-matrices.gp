# 03-matrices.gp - chapter 3's figure: how fast C = A B runs, for n x n
# matrices, as the naive triple loop and as OpenBLAS (on one thread and
# on the run's threads). One line per column of gemm.csv after n.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/03-matrices'; out='x.png'" plots/03-matrices.gp
if (!exists("dir")) dir = 'out/03-matrices'
if (!exists("out")) out = dir.'/03-matrices.png'

set terminal pngcairo size 900,600 font 'Sans,11'
set output out
set datafile separator comma
set datafile missing 'nan'
data = dir.'/gemm.csv'
stats data using 1 skip 1 nooutput
columns = STATS_columns
set xrange [STATS_min / 1.3 : STATS_max * 1.3]

set title 'Matrix multiply C = A B of two n x n float matrices'
set xlabel 'n'
set ylabel 'GFLOP/s (2 n^3 operations per multiply)'
set logscale xy
set xtics (16, 32, 64, 128, 256, 512, 1024, 2048)
set grid xtics ytics mytics
set key bottom left
plot for [c = 2:columns] data using 1:c with linespoints lw 2 pt 7 \
     title columnhead(c)
