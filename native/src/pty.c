#include "addon.h"
void berth_register_pty(napi_env env, napi_value exports) {}
