# 09-evaluation.gp - chapter 9's figure for one generator: the classes
# the classifier sees in the samples and in the test images, each
# image's distance to its nearest training image, and the Parzen
# log-likelihood of the validation images against the kernel width.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/09-evaluation'; out='x.png'" plots/09-evaluation.gp
if (!exists("dir")) dir = 'out/09-evaluation'
if (!exists("out")) out = dir.'/09-evaluation.png'

set terminal pngcairo size 1500,450 font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout 1,3 title 'One generator against the real images'
set grid ytics
PARZEN_RANGE = 800 # nats shown below the best validation score

set title 'Classes the classifier sees'
set ylabel 'share of the images'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -40 scale 0
set yrange [0:*]
set key top left
plot dir.'/classes.csv' using 3:xticlabels(2) skip 1 title 'generated' \
         lc rgb '#d73027', \
     ''                 using 4 skip 1 title 'test' lc rgb '#4575b4'

set style data lines
set xtics norotate scale 1
set title 'Distance to the nearest training image'
set xlabel 'L2 distance, pixels in [0, 1]'
set ylabel 'share of the images'
set key top right
plot dir.'/nearest.csv' using 1:2 skip 1 with steps lw 2 \
         lc rgb '#d73027' title 'generated', \
     ''                 using 1:3 skip 1 with steps lw 2 \
         lc rgb '#4575b4' title 'test'

set title 'Parzen: choosing sigma on the validation images'
set xlabel 'sigma'
set ylabel 'mean log-likelihood (nats)'
set logscale x
set xrange [0.04:1.25]
# the curve falls steeply for small sigma: show the top of it
stats dir.'/parzen.csv' using 3 skip 1 nooutput
set yrange [STATS_max - PARZEN_RANGE:STATS_max + PARZEN_RANGE / 10]
set key top right
plot dir.'/parzen.csv' using 1:2 skip 1 with linespoints lw 2 pt 7 \
         lc rgb '#d73027' title 'density of the samples', \
     ''                using 1:3 skip 1 with linespoints lw 2 pt 7 \
         lc rgb '#4575b4' title 'density of training images'
unset multiplot
