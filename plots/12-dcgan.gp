# 12-dcgan.gp - chapter 12's figure: both losses and both outputs of
# D over training (plots/gan-game.gp draws it).
#   gnuplot -e "dir='out/12-dcgan'; out='x.png'" plots/12-dcgan.gp
if (!exists("dir")) dir = 'out/12-dcgan'
if (!exists("out")) out = dir.'/12-dcgan.png'
game_title = 'The DCGAN game on 28x28 images'
# gan-game.gp lies beside this script
load ARG0[1:strlen(ARG0) - strlen('12-dcgan.gp')].'gan-game.gp'
