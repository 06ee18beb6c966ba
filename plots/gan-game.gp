# gan-game.gp - the figure of a GAN chapter's log.csv (step, epoch,
# loss_d, loss_g, d_real, d_fake): both losses and both outputs of D
# over training, a sample of the single steps (faint dots) and the mean
# of each epoch (lines, at the middle of the epoch). Not run on its own:
# plots/08-gan-mnist.gp, 12-dcgan.gp and 14-infogan.gp set dir, out and
# game_title and load it; info_panel adds InfoGAN's information loss.
# make watch (plots/watch.sh) sets `term` to the command of another
# terminal (a window, or text) instead of the PNG.
if (!exists("info_panel")) info_panel = 0
if (exists("term")) {
    eval term
    set output
} else {
    set terminal pngcairo size 1100,(info_panel ? 1150 : 800) font 'Sans,10' noenhanced
    set output out
}
set datafile separator comma
log = dir.'/log.csv'
stats log using 1:2 skip 1 nooutput
steps_per_epoch = STATS_max_x / STATS_max_y

set multiplot layout (info_panel ? 3 : 2),1 title game_title
set grid
set xlabel 'epoch'
set key top right opaque
set xrange [0:STATS_max_y]

set title 'Losses: D on real + fake (2 log 2 = 1.386 at the equilibrium), G = -log D(G(z))'
set ylabel 'loss'
set yrange [0:4]
plot log using ($1/steps_per_epoch):3 skip 1 every 7 with points pt 7 ps 0.12 lc rgb '#9ecae1' notitle, \
     ''  using ($1/steps_per_epoch):4 skip 1 every 7 with points pt 7 ps 0.12 lc rgb '#fdae6b' notitle, \
     ''  using ($2-0.5):3 skip 1 smooth unique with linespoints pt 7 ps 0.5 lw 2 lc rgb '#08519c' title 'loss_d (epoch mean)', \
     ''  using ($2-0.5):4 skip 1 smooth unique with linespoints pt 7 ps 0.5 lw 2 lc rgb '#d94801' title 'loss_g (epoch mean)', \
     2*log(2) with lines dt 2 lc rgb 'gray40' title '2 log 2'

set title "D's output: mean D(x) on real images, mean D(G(z)) on generated ones"
set ylabel 'probability "real"'
set yrange [0:1]
plot log using ($1/steps_per_epoch):5 skip 1 every 7 with points pt 7 ps 0.12 lc rgb '#a1d99b' notitle, \
     ''  using ($1/steps_per_epoch):6 skip 1 every 7 with points pt 7 ps 0.12 lc rgb '#bcbddc' notitle, \
     ''  using ($2-0.5):5 skip 1 smooth unique with linespoints pt 7 ps 0.5 lw 2 lc rgb '#006d2c' title 'D(x) (epoch mean)', \
     ''  using ($2-0.5):6 skip 1 smooth unique with linespoints pt 7 ps 0.5 lw 2 lc rgb '#54278f' title 'D(G(z)) (epoch mean)', \
     0.5 with lines dt 2 lc rgb 'gray40' title '1/2'

if (info_panel) {
  set title "Information loss on G's fakes: Q's cross-entropy of c1 (log 10 = 2.303 when Q reads nothing), and of c2, c3"
  set ylabel 'loss'
  set yrange [0:2.5]
  plot log using ($1/steps_per_epoch):7 skip 1 every 7 with points pt 7 ps 0.12 lc rgb '#fcbba1' notitle, \
       ''  using ($2-0.5):7 skip 1 smooth unique with linespoints pt 7 ps 0.5 lw 2 lc rgb '#cb181d' title 'info_cat (epoch mean)', \
       ''  using ($2-0.5):8 skip 1 smooth unique with linespoints pt 7 ps 0.5 lw 2 lc rgb '#2171b5' title 'info_cont (epoch mean)', \
       log(10) with lines dt 2 lc rgb 'gray40' title 'log 10'
}
unset multiplot
