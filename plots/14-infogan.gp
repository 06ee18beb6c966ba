# 14-infogan.gp - chapter 14's figure: the GAN's losses, D's outputs
# and the information loss over training (plots/gan-game.gp draws it).
#   gnuplot -e "dir='out/14-infogan'; out='x.png'" plots/14-infogan.gp
if (!exists("dir")) dir = 'out/14-infogan'
if (!exists("out")) out = dir.'/14-infogan.png'
game_title = 'The InfoGAN game on 28x28 images'
info_panel = 1 # log.csv's columns 7 and 8: info_cat, info_cont
# gan-game.gp lies beside this script
load ARG0[1:strlen(ARG0) - strlen('14-infogan.gp')].'gan-game.gp'
