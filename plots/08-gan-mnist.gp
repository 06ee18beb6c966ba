# 08-gan-mnist.gp - chapter 8's figure: both losses and both outputs of
# D over training (plots/gan-game.gp draws it).
#   gnuplot -e "dir='out/08-gan-mnist'; out='x.png'" plots/08-gan-mnist.gp
if (!exists("dir")) dir = 'out/08-gan-mnist'
if (!exists("out")) out = dir.'/08-gan-mnist.png'
game_title = 'The GAN game on 28x28 images'
# gan-game.gp lies beside this script
load ARG0[1:strlen(ARG0) - strlen('08-gan-mnist.gp')].'gan-game.gp'
