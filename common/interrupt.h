/* interrupt.h - stopping a long run cleanly with Ctrl-C.
 *
 * interrupt_watch() installs a SIGINT handler that only sets a flag;
 * the training loop checks interrupt_requested() between steps,
 * finishes the step it is in, saves a checkpoint and exits. A second
 * Ctrl-C while that happens kills the program as usual.
 */
#ifndef COMMON_INTERRUPT_H
#define COMMON_INTERRUPT_H

#include <stdbool.h>

#define INTERRUPT_EXIT_STATUS 130 /* 128 + SIGINT, as shells report it */

void interrupt_watch(void);
bool interrupt_requested(void);

#endif
