# 15-scale-out.gp - chapter 15's figure: both losses and both outputs
# of D over training, whatever the number of ranks (plots/gan-game.gp
# draws it).
#   gnuplot -e "dir='out/15-scale-out'; out='x.png'" plots/15-scale-out.gp
if (!exists("dir")) dir = 'out/15-scale-out'
if (!exists("out")) out = dir.'/15-scale-out.png'
game_title = 'The GAN game, trained data-parallel'
# gan-game.gp lies beside this script
load ARG0[1:strlen(ARG0) - strlen('15-scale-out.gp')].'gan-game.gp'
