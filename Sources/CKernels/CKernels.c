/* Header-only module; this file exists so that SwiftPM builds the target. */
#include "CKernels.h"
