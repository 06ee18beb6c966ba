# 11-cgan.gp - chapter 11's figure: the game's losses and D's outputs
# over training, and after every epoch the share of samples that the
# classifier of chapter 4 assigns to the class G was asked for, beside
# its accuracy on real test images.
#   gnuplot -e "dir='out/11-cgan'; out='x.png'" plots/11-cgan.gp
if (!exists("dir")) dir = 'out/11-cgan'
if (!exists("out")) out = dir.'/11-cgan.png'

set terminal pngcairo size 1100,1050 font 'Sans,10' noenhanced
set output out
set datafile separator comma
set multiplot layout 3,1 title 'The conditional GAN game, and whether G draws the class it is asked for'
set grid
set key top right
log = dir.'/log.csv'

# every 7th raw value is drawn faint, to show the spread
set title 'Losses: D on real + fake (log 4 = 1.386 at the equilibrium), G = -log D(G(z, y), y)'
set xlabel 'step'
set ylabel 'loss (clipped at 5)'
set yrange [0:5]
plot log using 1:3 skip 1 every 7 with points pt 7 ps 0.15 lc rgb '#9ecae1' notitle, \
     ''  using 1:4 skip 1 every 7 with points pt 7 ps 0.15 lc rgb '#fdae6b' notitle, \
     ''  using 1:3 skip 1 smooth bezier with lines lw 2 lc rgb '#08519c' title 'loss_d', \
     ''  using 1:4 skip 1 smooth bezier with lines lw 2 lc rgb '#d94801' title 'loss_g', \
     log(4) with lines dt 2 lc rgb 'gray40' title 'log 4'

set title "D's output: mean D(x, y) on real images, mean D(G(z, y), y) on generated ones"
set ylabel 'probability "real"'
set yrange [0:1]
plot log using 1:5 skip 1 every 7 with points pt 7 ps 0.15 lc rgb '#a1d99b' notitle, \
     ''  using 1:6 skip 1 every 7 with points pt 7 ps 0.15 lc rgb '#bcbddc' notitle, \
     ''  using 1:5 skip 1 smooth bezier with lines lw 2 lc rgb '#006d2c' title 'D(x, y)', \
     ''  using 1:6 skip 1 smooth bezier with lines lw 2 lc rgb '#54278f' title 'D(G(z, y), y)', \
     0.5 with lines dt 2 lc rgb 'gray40' title '1/2'

set title 'Share of samples the classifier assigns to the class asked for, after each epoch'
set xlabel 'epoch'
set ylabel 'share'
set yrange [0:1]
set xrange [0:*]
set key bottom right
epochs = dir.'/epochs.csv'
plot epochs using 1:2 skip 1 with linespoints lw 2 pt 7 lc rgb '#08519c' title 'generated, all classes', \
     ''     using 1:3 skip 1 with lines dt 2 lw 2 lc rgb 'gray30' title 'real test images (the classifier)', \
     0.1 with lines dt 3 lc rgb '#d94801' title 'chance (1/10)'
unset multiplot
