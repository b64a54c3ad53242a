#include "addon.h"
void berth_register_engine(napi_env env, napi_value exports) {}
