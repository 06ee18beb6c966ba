# 04-classifier-confusion.gp - chapter 4's confusion matrix on the test
# set: row = the true class, column = the class predicted; the colour
# is the share of the row's images, the number is the count.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/04-classifier'; out='x.png'" plots/04-classifier-confusion.gp
if (!exists("dir")) dir = 'out/04-classifier'
if (!exists("out")) out = dir.'/04-classifier-confusion.png'

set terminal pngcairo size 850,750 font 'Sans,10'
set output out
set datafile separator comma

conf = dir.'/confusion.csv'
names = dir.'/classes.csv'
set title 'Confusion matrix on the test set (colour: share of the true class)'
set xlabel 'predicted class'
set ylabel 'true class'
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xtics rotate by -35 left
set ytics
set size ratio 1
set palette defined (0 '#ffffff', 0.05 '#deebf7', 0.3 '#6baed6', 1 '#08306b')
set cbrange [0:1]
set cblabel 'share of the row'
set tics nomirror out
unset key
plot conf using 2:1:4 skip 1 with image, \
     conf using 2:1:($3 > 0 && $4 < 0.5 ? sprintf('%d', $3) : '') skip 1 \
          with labels textcolor rgb '#000000', \
     conf using 2:1:($4 >= 0.5 ? sprintf('%d', $3) : '') skip 1 \
          with labels textcolor rgb '#ffffff', \
     names using 1:(1/0):xticlabels(2) skip 1 with points, \
     names using (1/0):1:yticlabels(2) skip 1 with points
