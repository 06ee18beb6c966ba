# 13-augmentation.gp - chapter 13's grid: test accuracy against the
# labelled images per class, one line per mixing ratio with a band of
# one standard deviation over the seeds (left), and the paired gain of
# each augmented run over the real-only run of the same seed (right).
# Run by the program, or by hand:
#   gnuplot -e "dir='out/13-augmentation'; out='x.png'" \
#       plots/13-augmentation.gp
if (!exists("dir")) dir = 'out/13-augmentation'
if (!exists("out")) out = dir.'/13-augmentation.png'

summary = dir.'/summary.csv'
set datafile separator comma
# summary.csv holds one block of rows per ratio (a blank line between
# blocks), n increasing in each
blocks = int(system(sprintf("grep -c '^$' '%s'", summary))) + 1
stats [*:*] [*:*] summary using 8 skip 1 nooutput
seeds = int(STATS_max)
ratios = ''
do for [b = 0:blocks - 1] {
    stats [*:*] [*:*] summary every :::b::b using 2 skip 1 nooutput
    ratios = ratios.sprintf(' %d', int(STATS_min))
}
label(b) = 'real:generated 1:'.word(ratios, b + 1)

set terminal pngcairo size 1100,440 font 'Sans,10'
set output out
set multiplot layout 1,2 title sprintf('Chapter 4''s classifier with '. \
    'and without chapter 11''s cGAN data: mean and one sd over %d '. \
    'seeds', seeds)
set logscale x
set xlabel 'labelled real images per class (n)'
set grid
set style fill transparent solid 0.2 noborder
set offsets graph 0.05, graph 0.05, 0, 0

set key bottom right
set ylabel 'test accuracy (real test images)'
set title 'test accuracy'
plot for [b = 0:blocks - 1] summary every :::b::b skip 1 \
         using 1:($3 - $4):($3 + $4) with filledcurves lc b + 1 notitle, \
     for [b = 0:blocks - 1] summary every :::b::b skip 1 \
         using 1:3 with linespoints lc b + 1 pt 7 title label(b)

set key bottom left
set ylabel 'augmented minus real-only, same seed'
set title 'paired gain (0: no effect)'
plot 0 with lines lc rgb 'black' dt 2 notitle, \
     for [b = 1:blocks - 1] summary every :::b::b skip 1 \
         using 1:($5 - $6):($5 + $6) with filledcurves lc b + 1 notitle, \
     for [b = 1:blocks - 1] summary every :::b::b skip 1 \
         using 1:5 with linespoints lc b + 1 pt 7 title label(b)
unset multiplot
