# 06-gan-1d-map.gp - chapter 6's third figure: the generator as a
# function, x = G(z), at the moments of the main figure, beside the
# increasing map that turns the noise into the target exactly.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/06-gan-1d'; out='x.png'" plots/06-gan-1d-map.gp
if (!exists("dir")) dir = 'out/06-gan-1d'
if (!exists("out")) out = dir.'/06-gan-1d-map.png'

file = dir.'/map.csv'
set datafile separator comma
set datafile missing 'nan'
# map.csv: columns step,z,x,exact; one block per moment, blocks
# separated by two empty lines (gnuplot's `index`)
stats file using 2 nooutput
moments = STATS_blocks
array moment_step[moments]
do for [i = 1:moments] {
    stats file index (i - 1) using 1 nooutput
    moment_step[i] = int(STATS_min)
}

set terminal pngcairo size 800,560 font 'Sans,10'
set output out
set title "The generator as a function: x = G(z) during training"
set xlabel 'noise z'
set ylabel 'sample x = G(z)'
set key top center font ',9' maxrows 4
set grid lc rgb '#dddddd'
# light to dark: early to late
set palette defined (0 '#c6dbef', 1 '#08306b')
set cbrange [0:moments - 1]
unset colorbox

plot for [i = 0:moments - 1] file index i using 2:3 with lines lw 2 \
         lc palette cb i title sprintf('after %d steps', moment_step[i + 1]), \
     file index (moments - 1) using 2:4 with lines lw 2 dt 2 \
         lc rgb '#d73027' title 'exact increasing map'
