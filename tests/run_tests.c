/* run_tests.c - the one test runner: every CUnit suite in tests/.
 *
 *   build/bin/run-tests            all suites
 *   build/bin/run-tests 01-neuron  one suite, by its CUnit name
 *
 * Each test file in tests/ defines `void suite_<name>(void)`, which adds its
 * suite to the registry; the build lists those functions in
 * suites.inc. Exits 1 if any test failed, so CI cannot miss it.
 */
#include <CUnit/Basic.h>
#include <stdio.h>

#define SUITE(register_fn) void register_fn(void);
#include "suites.inc"
#undef SUITE

int main(int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "run-tests: %s\n", CU_get_error_msg());
        return 1;
    }
#define SUITE(register_fn) register_fn();
#include "suites.inc"
#undef SUITE
    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "run-tests: %s\n", CU_get_error_msg());
        return 1;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc > 1) {
        CU_pSuite suite = CU_get_suite(argv[1]);
        if (!suite) {
            fprintf(stderr, "run-tests: no suite named '%s'\n", argv[1]);
            CU_cleanup_registry();
            return 2;
        }
        CU_basic_run_suite(suite);
    } else {
        CU_basic_run_tests();
    }
    unsigned failed = CU_get_number_of_tests_failed() +
                      CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
