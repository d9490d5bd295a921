/* pt-fuzz.h: the entry point libFuzzer calls in every target. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
