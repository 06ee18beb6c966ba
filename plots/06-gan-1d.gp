# 06-gan-1d.gp - chapter 6's main figure, after Figure 1 of Goodfellow
# et al. (2014): at several moments of training, the data's density,
# the density of G's samples (a histogram), D(x), and the optimal
# discriminator D*(x) = p_data / (p_data + p_g) for that G.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/06-gan-1d'; out='x.png'" plots/06-gan-1d.gp
if (!exists("dir")) dir = 'out/06-gan-1d'
if (!exists("out")) out = dir.'/06-gan-1d.png'

file = dir.'/snapshots.csv'
set datafile separator comma
set datafile missing 'nan'
# snapshots.csv: columns step,x,p_data,p_g,d,d_star; one block per
# moment, blocks separated by two empty lines (gnuplot's `index`)
stats file using 2 nooutput
moments = STATS_blocks
xlo = STATS_min
xhi = STATS_max
array moment_step[moments]
do for [i = 1:moments] {
    stats file index (i - 1) using 1 nooutput
    moment_step[i] = int(STATS_min)
}
# densities and probabilities share the y axis; a narrow G is taller
stats file using 4 nooutput
ymax = STATS_max * 1.05 > 1.05 ? STATS_max * 1.05 : 1.05

set terminal pngcairo size 1200,760 font 'Sans,10'
set output out
set multiplot layout 2,3 title "A GAN on the line: the data's density \
(black), G's density (green), D(x) (blue) and the best D for that G, \
D* (orange)"

set xrange [xlo:xhi]
set yrange [0:ymax]
set xlabel 'x'
set ylabel 'density, or probability "real"'
set key top left font ',9' samplen 2 opaque
set grid ytics lc rgb '#dddddd'
set style fill transparent solid 0.35 noborder

green = '#1a9850'
blue = '#2c7bb6'
orange = '#f46d43'
do for [i = 0:moments - 1] {
    set title sprintf('after %d steps', moment_step[i + 1])
    if (i > 0) { unset key }
    plot file index i using 2:4 with fillsteps lc rgb green \
             title 'p_g (G)', \
         '' index i using 2:4 with steps lw 1 lc rgb green notitle, \
         '' index i using 2:3 with lines lw 2 dt 2 lc rgb 'black' \
             title 'p_{data}', \
         '' index i using 2:5 with lines lw 2 lc rgb blue title 'D(x)', \
         '' index i using 2:6 with lines lw 2 dt 3 lc rgb orange \
             title 'D*(x)'
}
unset multiplot
