# 04-classifier-wrong.gp - chapter 4's most-wrong test images: the ones
# with the largest loss, largest first, each with its true class, the
# class predicted, and the probability the network gave the true class.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/04-classifier'; out='x.png'" plots/04-classifier-wrong.gp
if (!exists("dir")) dir = 'out/04-classifier'
if (!exists("out")) out = dir.'/04-classifier-wrong.png'

pixels = dir.'/most-wrong-pixels.csv'
list = dir.'/most-wrong.csv'
cols = 8
side = 28
cell_w = 36    # a tile is 28 pixels wide; the rest is the gap
cell_h = 48    # and 28 high, with room for two lines of text under it

stats list using 1 skip 1 nooutput
n = STATS_records
rows = int((n + cols - 1) / cols)

set terminal pngcairo size 860,(150 * rows + 60) font 'Sans,9'
set output out
set datafile separator comma
set title 'The test images with the largest loss (true class, then predicted, and p(true))'
unset key
unset border
unset tics
unset colorbox
set palette gray
set cbrange [0:255]
set size ratio -1
set xrange [-4:cols * cell_w]
set yrange [-rows * cell_h:2]

# tile t: top-left corner at (x0(t), y0(t)); image y grows downward
x0(t) = (int(t) % cols) * cell_w
y0(t) = -int(int(t) / cols) * cell_h
plot for [t=0:n-1] pixels index t matrix \
         using (x0(t) + $1):(y0(t) - $2):3 with image, \
     list using (x0($1 - 1) + side / 2.0):(y0($1 - 1) - side - 4):(sprintf('%s', strcol(6))) \
         skip 1 with labels font 'Sans,8', \
     list using (x0($1 - 1) + side / 2.0):(y0($1 - 1) - side - 10):(sprintf('-> %s', strcol(7))) \
         skip 1 with labels font 'Sans,8' textcolor rgb '#b2182b', \
     list using (x0($1 - 1) + side / 2.0):(y0($1 - 1) - side - 16):(sprintf('p=%.1g', $5)) \
         skip 1 with labels font 'Sans,8' textcolor rgb '#555555'
