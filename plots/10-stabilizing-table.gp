# 10-stabilizing-table.gp - chapter 10's results table as a figure:
# for every experiment found (one row each, in the order of --list),
# the mean share of high-quality samples (bars) and of modes captured
# (dots), with one standard deviation over the seeds, on the ring and
# on the grid.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/10-stabilizing'; out='x.png'" \
#       plots/10-stabilizing-table.gp
if (!exists("dir")) dir = 'out/10-stabilizing'
if (!exists("out")) out = dir.'/10-stabilizing-table.png'

table = dir.'/table.csv'
max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
set datafile separator comma
stats [*:*] [*:*] table using 0 skip 1 nooutput
rows = STATS_records

set terminal pngcairo size 1200,(160 + 26 * rows) font 'Sans,10'
set output out
set multiplot layout 1,2 title 'Each experiment, mean over its ' \
    .'seeds (bars: high-quality samples; dots: modes captured)'
set xrange [0:114]
set yrange [-rows + 0.4:0.6]
set xtics 0,20,100
set grid xtics
set key outside bottom center horizontal
set style fill solid 0.6 noborder
set xlabel '% (modes: of 8 or 25)'
unset ytics

# columns of table.csv: ring's start at 3, grid's at 14; the seeds at
# target are written right of each row, the target's share is dashed
do for [t = 1:2] {
    c = (t == 1) ? 3 : 14
    modes = (t == 1) ? 8 : 25
    goal = (t == 1) ? 98 : 95
    set title sprintf('%s (dashed: %d%%; right: seeds at target)', \
                      (t == 1) ? 'ring of 8' : 'grid of 25', goal)
    if (t == 1) { set ytics scale 0 font 'Sans,9' } else { unset ytics }
    # mean +- one standard deviation, kept within 0..100%
    lo(k) = max(column(k) - column(k + 1), 0)
    hi(k) = min(column(k) + column(k + 1), 100)
    share(k) = 100.0 * column(k) / modes
    share_lo(k) = max(100.0 * (column(k) - column(k + 1)) / modes, 0)
    share_hi(k) = min(100.0 * (column(k) + column(k + 1)) / modes, 100)
    set arrow 1 from goal, graph 0 to goal, graph 1 nohead dt 2 \
        lc rgb '#4d4d4d'
    plot table using (column(c + 4) / 2):(-$0):(column(c + 4) / 2):(0.35) \
             skip 1 with boxxyerror lc rgb '#92c5de' \
             title 'high quality', \
         table using (108):(-$0):(sprintf('%d/%d', column(c + 6), \
             column(c + 1))) skip 1 with labels font 'Sans,9' notitle, \
         table using (column(c + 4)):(-$0):(lo(c + 4)):(hi(c + 4)) \
             skip 1 with xerrorbars pt -1 lc rgb '#2166ac' notitle, \
         table using (share(c + 2)):(-$0):(share_lo(c + 2)):\
             (share_hi(c + 2)):ytic(1) skip 1 \
             with xerrorbars pt 7 ps 0.9 lc rgb '#b2182b' \
             title 'modes captured'
}
unset multiplot
