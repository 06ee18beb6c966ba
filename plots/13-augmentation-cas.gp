# 13-augmentation-cas.gp - the Classification Accuracy Score per class:
# the test accuracy on each class of a classifier trained on the real
# training images, and of the same classifier trained on as many
# images drawn by chapter 11's generator.
# Run by the program, or by hand:
#   gnuplot -e "dir='out/13-augmentation-cas'; out='x.png'" \
#       plots/13-augmentation-cas.gp
if (!exists("dir")) dir = 'out/13-augmentation-cas'
if (!exists("out")) out = dir.'/13-augmentation-cas.png'

cas = dir.'/cas.csv'
set datafile separator comma
set terminal pngcairo size 900,420 font 'Sans,10'
set output out
set title 'Test accuracy per class: trained on real images, or on '. \
    'generated ones only (CAS)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7 noborder
set yrange [0:1.05]
set ylabel 'test accuracy on the real images of the class'
set xtics rotate by -30 nomirror
set grid ytics
set key below horizontal
plot cas using 3:xtic(2) skip 1 title 'trained on real images' \
         lc rgb '#3366aa', \
     '' using 4 skip 1 title 'trained on generated images' \
         lc rgb '#dd7733'
