# dcgan-vs-mlp.gp - chapter 12's comparison: chapter 9's FCD of every
# epoch's generator, the DCGAN's beside chapter 8's MLP GAN, against the
# epoch and against the seconds of training it took. Not drawn by any
# program or by make plots: its inputs are three runs and two
# evaluations (book/12-dcgan.md gives the commands). By hand:
#   gnuplot -e "out='out/12-dcgan/dcgan-vs-mlp.png'" plots/dcgan-vs-mlp.gp
# Reads:
#   dcgan  09-evaluation --ckpt-dir of the DCGAN's 20-epoch run
#   mlp    the same for chapter 8's 20-epoch run
#   rate12, rate08  each program's result.txt, for its steps per second
if (!exists("out")) out = 'out/12-dcgan/dcgan-vs-mlp.png'
if (!exists("dcgan")) dcgan = 'out/12-dcgan-long/fcd/epochs.csv'
if (!exists("mlp")) mlp = 'out/09-evaluation/epochs.csv'
if (!exists("rate12")) rate12 = 'out/12-dcgan/result.txt'
if (!exists("rate08")) rate08 = 'out/08-gan-mnist/result.txt'

# steps per second from a result line, and 937 steps an epoch
rate(file) = real(system("sed -n 's/.* steps_per_s=\\([0-9.]*\\).*/\\1/p' ".file))
per_epoch = 937
# half of chapter 8's FCD after its last epoch: the chapter's target
half = real(system("tail -n 1 ".mlp." | cut -d, -f2")) / 2
s12 = per_epoch / rate(rate12)
s08 = per_epoch / rate(rate08)

set terminal pngcairo size 1100,450 font 'Sans,10' noenhanced
set output out
set datafile separator comma
set multiplot layout 1,2 title 'FCD to the test images (chapter 9; lower is better)'
set grid
set key top right opaque
set logscale y
set yrange [5:200]
set ylabel 'FCD'

set title 'against the epoch'
set xlabel 'epoch'
plot mlp using 1:2 skip 1 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#4575b4' title "chapter 8's MLP GAN", \
     dcgan using 1:2 skip 1 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#d73027' title 'DCGAN', \
     half with lines dt 2 lc rgb 'gray40' title "half of chapter 8's last FCD"

set title 'against the seconds of training (2 cores)'
set xlabel 'seconds'
plot mlp using ($1*s08):2 skip 1 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#4575b4' title "chapter 8's MLP GAN", \
     dcgan using ($1*s12):2 skip 1 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#d73027' title 'DCGAN', \
     half with lines dt 2 lc rgb 'gray40' notitle
unset multiplot
