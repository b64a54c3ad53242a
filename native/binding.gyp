{
  "targets": [
    {
      "target_name": "berth_native",
      "sources": [
        "src/addon.c",
        "src/errors.c",
        "src/args.c",
        "src/constants.c",
        "src/mount.c",
        "src/ns.c",
        "src/caps.c",
        "src/xattr.c",
        "src/bpf.c",
        "src/pidfd.c",
        "src/pty.c",
        "src/spawn.c",
        "src/seccomp.c",
        "src/engine_binding.c",
        "engine/plan.c",
        "engine/parent.c",
        "engine/child.c"
      ],
      "include_dirs": ["engine"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-O2"],
      "libraries": ["-lseccomp", "-lutil"]
    }
  ]
}
