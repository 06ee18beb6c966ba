# 07-gan-2d-seeds.gp - chapter 7's seeds figure: every seed's samples
# at the end of training (blue) over the target's samples (red), one
# row per target, one column per seed (the first five).
# Run by the program, or by hand:
#   gnuplot -e "dir='out/07-gan-2d'; out='x.png'" plots/07-gan-2d-seeds.gp
if (!exists("dir")) dir = 'out/07-gan-2d'
if (!exists("out")) out = dir.'/07-gan-2d-seeds.png'

exists_file(f) = int(system(sprintf("test -f '%s' && echo 1 || echo 0", f)))
names = ''
do for [t in 'ring grid'] {
    if (exists_file(dir.'/final-'.t.'.csv')) { names = names.' '.t }
}
rows = words(names)
if (rows == 0) { print 'no final-*.csv in '.dir; exit status 1 }
set datafile separator comma
max_columns = 5
seeds = dir.'/seeds.csv'
stats [*:*] [*:*] seeds using 2 skip 1 nooutput
columns = STATS_records / rows
columns = columns > max_columns ? max_columns : columns

set terminal pngcairo size (300 * columns),(300 * rows + 40) \
    font 'Sans,10'
set output out
set multiplot layout rows,columns title \
    'The end of training, seed by seed: generator (blue), target (red)'
set size ratio -1
unset key
set tics font 'Sans,8'

do for [r = 1:rows] {
    t = word(names, r)
    data = dir.'/data-'.t.'.csv'
    final = dir.'/final-'.t.'.csv'
    modes = (t eq 'ring') ? 8 : 25
    lim = (t eq 'ring') ? 1.6 : 6
    set xrange [-lim:lim]
    set yrange [-lim:lim]
    do for [k = 0:columns - 1] {
        stats [*:*] [*:*] final every :::k::k using 1 skip 1 nooutput
        seed = STATS_min
        mine(a, b) = a == modes && b == seed
        stats [*:*] [*:*] seeds using (mine($1, $2) ? $3 : 1/0) skip 1 \
            nooutput
        captured = STATS_max
        stats [*:*] [*:*] seeds using (mine($1, $2) ? $4 : 1/0) skip 1 \
            nooutput
        set title sprintf('%s, seed %d: %d/%d modes, %.1f%% HQ', \
                          t, seed, captured, modes, STATS_max)
        plot final every :::k::k using 2:3 skip 1 with points pt 7 \
                 ps 0.25 lc rgb '#2166ac', \
             data using 1:2 skip 1 with points pt 7 ps 0.15 \
                 lc rgb '#d6604d'
    }
}
unset multiplot
