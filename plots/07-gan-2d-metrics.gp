# 07-gan-2d-metrics.gp - chapter 7's second figure: over training, the
# modes captured and the percentage of high-quality samples of every
# seed, and D's average belief on real and generated points for the
# first seed; one row per target that was trained.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/07-gan-2d'; out='x.png'" plots/07-gan-2d-metrics.gp
if (!exists("dir")) dir = 'out/07-gan-2d'
if (!exists("out")) out = dir.'/07-gan-2d-metrics.png'

exists_file(f) = int(system(sprintf("test -f '%s' && echo 1 || echo 0", f)))
names = ''
do for [t in 'ring grid'] {
    if (exists_file(dir.'/data-'.t.'.csv')) { names = names.' '.t }
}
rows = words(names)
if (rows == 0) { print 'no data-*.csv in '.dir; exit status 1 }

set terminal pngcairo size 1500,(330 * rows + 40) font 'Sans,10'
set output out
set datafile separator comma
set multiplot layout rows,3 title \
    'Modes captured and high-quality samples (2,500 samples), every seed'
set xlabel 'step'
set grid
log = dir.'/log.csv'

do for [r = 1:rows] {
    t = word(names, r)
    modes = (t eq 'ring') ? 8 : 25
    stats [*:*] [*:*] log using ($2 == modes ? $3 : 1/0) skip 1 nooutput
    first = int(STATS_min)
    last = int(STATS_max)
    mine(a, s) = a == modes && $3 == s

    set title sprintf('%s: modes captured (of %d)', t, modes)
    set ylabel 'modes'
    set yrange [0:modes + 1]
    set key bottom right vertical maxrows auto samplen 4 width 0 \
        font ',10'
    plot for [s = first:last] log using 1:(mine($2, s) ? $8 : 1/0) \
         skip 1 with lines lw 1.5 title sprintf('seed %d', s)

    set title sprintf('%s: high-quality samples', t)
    set ylabel '% within 3 sigma'
    # headroom above 100% for a one-row key
    set yrange [0:125]
    set ytics 0,20,100
    set key top center horizontal maxrows 1 samplen 1.5 width 0 \
        font ',9'
    plot for [s = first:last] log using 1:(mine($2, s) ? $9 : 1/0) \
         skip 1 with lines lw 1.5 title sprintf('seed %d', s)

    set title sprintf("%s: D's mean belief, seed %d", t, first)
    set ylabel 'mean sigmoid(D)'
    set yrange [0:1]
    set ytics autofreq
    set key top right vertical maxrows auto samplen 4 width 0 \
        font ',10'
    plot log using 1:(mine($2, first) ? $6 : 1/0) skip 1 with lines \
             lw 1.5 title 'D(x), real', \
         log using 1:(mine($2, first) ? $7 : 1/0) skip 1 with lines \
             lw 1.5 title 'D(G(z)), generated', \
         0.5 with lines dt 2 lc rgb 'black' title 'equilibrium 1/2'
}
unset multiplot
