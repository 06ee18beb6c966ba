# 11-cgan-eval.gp - chapter 11's evaluation, one group per class: the
# share of generated samples the classifier assigns to the class asked
# for, beside its accuracy on the real test images of that class; and
# the Frechet distance between the classifier's features of generated
# and real test images of that class (FCD; lower is closer), beside the
# same distance for as many real training images of that class.
#   gnuplot -e "dir='out/11-cgan'; out='x.png'" plots/11-cgan-eval.gp
if (!exists("dir")) dir = 'out/11-cgan'
if (!exists("out")) out = dir.'/11-cgan-eval.png'

set terminal pngcairo size 1100,800 font 'Sans,10' noenhanced
set output out
set datafile separator comma
set multiplot layout 2,1 title 'Per class: does the classifier of chapter 4 agree with the class asked for?'
ev = dir.'/eval.csv'
set style fill solid 0.85 border -1
set boxwidth 0.36
set grid ytics
set xrange [-0.6:9.6]
set xtics rotate by -25 left nomirror

set title 'Share assigned to the class asked for'
set ylabel 'share'
set yrange [0:1.05]
set key outside top center horizontal
plot ev using ($1 - 0.19):3:xticlabels(2) skip 1 with boxes lc rgb '#08519c' title 'generated', \
     ''  using ($1 + 0.19):4 skip 1 with boxes lc rgb '#bdbdbd' title 'real test images'

set title 'FCD per class, to the real test images of the same class (lower is closer)'
set ylabel 'FCD (squared Frechet distance), log scale'
set logscale y
set yrange [0.5:*]
set key outside top center horizontal
plot ev using ($1 - 0.19):5:xticlabels(2) skip 1 with boxes lc rgb '#d94801' title 'generated', \
     ''  using ($1 + 0.19):6 skip 1 with boxes lc rgb '#bdbdbd' title 'real training images (the floor)'
unset multiplot
