// Every way out of a preopened directory, tried through the raw WASI calls (so wasi-libc's own
// path handling cannot hide what the host does). argv[1] is the preopen's guest path. The host
// test harness prepares the directory first:
//   inside.txt                    a file            sub/                  a directory
//   link-in     -> inside.txt                       link-out     -> <absolute host path of ../outside/secret.txt>
//   link-rel-out -> ../outside/secret.txt           link-dir-out -> ../outside
//   chain-1 -> sub/chain-2,  sub/chain-2 -> ../chain-3,  chain-3 -> ../outside/secret.txt
//   loop-a -> loop-b,  loop-b -> loop-a
// and ../outside/secret.txt beside it, which no attempt may reach. Each attempt prints the errno
// it got; controls that stay inside print SUCCESS.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#include "guest_test.h"

static const __wasi_rights_t file_rights = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET;
static const __wasi_rights_t directory_rights =
    __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_GET;

static void print(const char *label, __wasi_errno_t error) {
    printf("%s: %s (%d)\n", label, errno_name(error), error);
}

static __wasi_errno_t open_at(__wasi_fd_t dir, const char *path, __wasi_lookupflags_t lookup, __wasi_oflags_t oflags, __wasi_fd_t *opened) {
    __wasi_rights_t rights = (oflags & __WASI_OFLAGS_DIRECTORY) ? directory_rights : file_rights;
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    __wasi_errno_t error = __wasi_path_open(dir, lookup, path, oflags, rights, file_rights | directory_rights, 0, &fd);
    if (opened) *opened = fd;
    else if (error == 0) (void)__wasi_fd_close(fd);
    return error;
}

static void try_open(__wasi_fd_t dir, const char *label, const char *path) {
    print(label, open_at(dir, path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, NULL));
}

static __wasi_fd_t find_preopen(const char *name) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t prestat;
        if (__wasi_fd_prestat_get(fd, &prestat) != 0) break;
        char buffer[256];
        size_t length = prestat.u.dir.pr_name_len;
        if (length >= sizeof buffer || __wasi_fd_prestat_dir_name(fd, (uint8_t *)buffer, length) != 0) continue;
        buffer[length] = 0;
        if (strcmp(buffer, name) == 0) return fd;
    }
    return (__wasi_fd_t)-1;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: escape PREOPEN\n"); return 2; }
    __wasi_fd_t root = find_preopen(argv[1]);
    if (root == (__wasi_fd_t)-1) { printf("no preopen named %s\n", argv[1]); return 2; }

    // Controls: these stay inside and must work.
    try_open(root, "open inside.txt", "inside.txt");
    try_open(root, "open ./inside.txt", "./inside.txt");
    try_open(root, "open sub/../inside.txt", "sub/../inside.txt");
    try_open(root, "open link-in", "link-in");
    print("open . as directory", open_at(root, ".", 0, __WASI_OFLAGS_DIRECTORY, NULL));

    // Dot-dot.
    print("open .. as directory", open_at(root, "..", 0, __WASI_OFLAGS_DIRECTORY, NULL));
    try_open(root, "open ../outside/secret.txt", "../outside/secret.txt");
    try_open(root, "open sub/../../outside/secret.txt", "sub/../../outside/secret.txt");
    try_open(root, "open sub/../sub/../../outside/secret.txt", "sub/../sub/../../outside/secret.txt");
    try_open(root, "open ./../outside/secret.txt", "./../outside/secret.txt");

    // Absolute paths.
    try_open(root, "open /etc/passwd", "/etc/passwd");
    print("open / as directory", open_at(root, "/", 0, __WASI_OFLAGS_DIRECTORY, NULL));

    // Symbolic links pointing out, followed at the end or in the middle of a path, and chains.
    try_open(root, "open link-out", "link-out");
    try_open(root, "open link-rel-out", "link-rel-out");
    try_open(root, "open link-dir-out/secret.txt", "link-dir-out/secret.txt");
    print("open link-dir-out as directory", open_at(root, "link-dir-out", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_DIRECTORY, NULL));
    try_open(root, "open chain-1", "chain-1");
    try_open(root, "open loop-a", "loop-a");
    // Not following the last component: opening the link itself is refused, as with O_NOFOLLOW.
    print("open link-out without following", open_at(root, "link-out", 0, 0, NULL));

    // A directory descriptor is a capability rooted at itself: from sub, even .. is out of reach.
    __wasi_fd_t sub = (__wasi_fd_t)-1;
    print("open sub as directory", open_at(root, "sub", 0, __WASI_OFLAGS_DIRECTORY, &sub));
    try_open(sub, "from sub: open ../inside.txt", "../inside.txt");
    try_open(sub, "from sub: open ../../outside/secret.txt", "../../outside/secret.txt");
    (void)__wasi_fd_close(sub);

    // Every other path operation resolves the same way.
    __wasi_filestat_t stat;
    print("path_filestat_get ..", __wasi_path_filestat_get(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "..", &stat));
    print("path_filestat_get ../outside/secret.txt", __wasi_path_filestat_get(root, 0, "../outside/secret.txt", &stat));
    print("path_filestat_get link-out (following)", __wasi_path_filestat_get(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link-out", &stat));
    print("path_create_directory ../made", __wasi_path_create_directory(root, "../made"));
    print("path_create_directory /tmp/made", __wasi_path_create_directory(root, "/tmp/made"));
    print("path_create_directory link-dir-out/made", __wasi_path_create_directory(root, "link-dir-out/made"));
    print("path_rename inside.txt -> ../outside/stolen.txt", __wasi_path_rename(root, "inside.txt", root, "../outside/stolen.txt"));
    print("path_rename ../outside/secret.txt -> taken.txt", __wasi_path_rename(root, "../outside/secret.txt", root, "taken.txt"));
    print("path_link ../outside/secret.txt -> hard.txt", __wasi_path_link(root, 0, "../outside/secret.txt", root, "hard.txt"));
    print("path_unlink_file ../outside/secret.txt", __wasi_path_unlink_file(root, "../outside/secret.txt"));
    print("path_unlink_file link-dir-out/secret.txt", __wasi_path_unlink_file(root, "link-dir-out/secret.txt"));
    print("path_remove_directory ../outside", __wasi_path_remove_directory(root, "../outside"));
    char target[256];
    __wasi_size_t used = 0;
    print("path_readlink ../outside/secret.txt", __wasi_path_readlink(root, "../outside/secret.txt", (uint8_t *)target, sizeof target, &used));
    print("path_symlink in ../outside", __wasi_path_symlink("inside.txt", root, "../outside/link"));
    print("path_filestat_set_times ../outside/secret.txt", __wasi_path_filestat_set_times(root, 0, "../outside/secret.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));

    // A link the guest makes itself that points out is as useless as one the host made.
    __wasi_errno_t made = __wasi_path_symlink("../outside/secret.txt", root, "made-link");
    print("path_symlink made-link -> ../outside/secret.txt", made);
    try_open(root, "open made-link", "made-link");
    if (made == 0) (void)__wasi_path_unlink_file(root, "made-link");

    // Descriptors the guest was never given.
    try_open(99, "open via fd 99", "inside.txt");
    print("fd_close on fd 99", __wasi_fd_close(99));

    // wasi-libc resolves absolute paths against the preopens before calling the host.
    FILE *passwd = fopen("/etc/passwd", "r");
    printf("libc fopen /etc/passwd: %s\n", passwd ? "opened" : errno_name(errno));

    return 0;
}
