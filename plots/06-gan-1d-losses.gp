# 06-gan-1d-losses.gp - chapter 6's training curves: both losses, D's
# mean output on real and fake batches, the mean and spread of G's
# samples against the target's, and the size of G's gradient.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/06-gan-1d'; out='x.png'" \
#       plots/06-gan-1d-losses.gp
if (!exists("dir")) dir = 'out/06-gan-1d'
if (!exists("out")) out = dir.'/06-gan-1d-losses.png'

log = dir.'/log.csv'
set datafile separator comma
# target.csv: one row, mean,std
stats dir.'/target.csv' using 1 nooutput
target_mean = STATS_min
stats dir.'/target.csv' using 2 nooutput
target_std = STATS_min

set terminal pngcairo size 1200,800 font 'Sans,10'
set output out
set multiplot layout 2,2 title "Training the 1-D GAN (steps on a log \
axis; dashed: the values at the equilibrium p_g = p_{data})"
set logscale x
set xlabel 'step'
set key top right font ',9'
set grid lc rgb '#dddddd'
red = '#d73027'
blue = '#4575b4'

set title 'Losses'
set ylabel 'loss'
plot log using 1:2 skip 1 with lines lw 2 lc rgb red title 'loss_D', \
     ''  using 1:3 skip 1 with lines lw 2 lc rgb blue title 'loss_G', \
     log(4) with lines lw 1 dt 2 lc rgb red title 'log 4', \
     log(2) with lines lw 1 dt 2 lc rgb blue title 'log 2'

set title "D's mean output"
set ylabel 'mean D'
set yrange [0:1]
plot log using 1:4 skip 1 with lines lw 2 lc rgb '#1a9850' \
         title 'on real x: d\_real', \
     ''  using 1:5 skip 1 with lines lw 2 lc rgb '#984ea3' \
         title 'on G(z): d\_fake', \
     0.5 with lines lw 1 dt 2 lc rgb 'black' title '1/2'

set title "G's samples against the target"
set ylabel 'x'
set key bottom right
set yrange [*:target_mean + target_std]
plot log using 1:6 skip 1 with lines lw 2 lc rgb '#e66101' \
         title 'mean of G(z)', \
     ''  using 1:7 skip 1 with lines lw 2 lc rgb '#5e3c99' \
         title 'std of G(z)', \
     target_mean with lines lw 1 dt 2 lc rgb '#e66101' \
         title 'target mean', \
     target_std with lines lw 1 dt 2 lc rgb '#5e3c99' title 'target std'

set title "Size of G's gradient"
set ylabel '|dL_G / d{/Symbol q}_G|'
set autoscale y
set logscale y
set key top right
plot log using 1:8 skip 1 with lines lw 2 lc rgb blue \
         title 'norm of the gradient of G''s parameters'
unset multiplot
