# watch-log.gp - make watch's view of a log.csv that has no figure of
# its own for it (plots/watch.sh): every column against the first, one
# panel each, titled by the log's header.
#   gnuplot -e "dir='out/01-neuron'; columns=3" plots/watch-log.gp
if (!exists("dir")) dir = 'out/01-neuron'
if (!exists("columns")) columns = 2
if (!exists("title")) title = dir
if (!exists("term")) term = 'set terminal dumb'
eval term
set output
set datafile separator comma
set key autotitle columnheader top right
set grid
log = dir.'/log.csv'
panels = columns - 1
if (panels > 1) {
    set multiplot layout int(ceil(panels / 2.0)), 2 title title
}
do for [i = 2:columns] {
    plot log using 1:i with lines lw 2
}
if (panels > 1) {
    unset multiplot
}
