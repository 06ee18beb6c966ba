/* mpiteam.h - the processes that mpirun started, as the team that
 * common/gantrain.h trains with: which rank this is, rank 0's bytes
 * handed to all, one decision to stop, and a failure on any rank
 * ending every rank instead of leaving them waiting.
 *
 * Started without mpirun, MPI_Init makes a world of one process (a
 * "singleton"), so the program runs as any other chapter's.
 */
#ifndef CH15_MPITEAM_H
#define CH15_MPITEAM_H

#include <mpi.h>

#include "gantrain.h"

typedef struct {
    int rank, size;
    int local_size;  /* ranks on this host, this one included */
    MPI_Comm comm;
    GanTeam team;    /* what gantrain_run is given */
    char host[MPI_MAX_PROCESSOR_NAME];
    char name[MPI_MAX_PROCESSOR_NAME + 64]; /* messages' prefix: "15-scale-out rank 1 on host" */
} MpiTeam;

/* MPI_Init and who this is. From here on fatal() on any rank ends them
 * all (MPI_Abort), once it has printed its message. */
void mpi_team_start(MpiTeam *t, int *argc, char ***argv,
                    const char *program);

/* MPI_Finalize; every rank calls it. */
void mpi_team_end(MpiTeam *t);

/* The largest of every rank's x. */
double mpi_team_max(const MpiTeam *t, double x);

#endif
