// Files and directories inside a preopened directory (argv[1] is its guest path): create, write,
// read, seek, stat, append, positional I/O, truncate, readdir, rename, unlink, mkdir and rmdir,
// and the errors of the usual mistakes. Leaves the directory as it found it.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_test.h"

static char root[256];

static const char *at(const char *relative) {
    static char paths[4][512];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, sizeof paths[0], "%s/%s", root, relative);
    return path;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

// Prints the entries of a directory sorted by name, without "." and ".." (hosts differ on those).
static void list(const char *relative) {
    DIR *dir = opendir(at(relative));
    if (dir == NULL) { report("opendir", 0); return; }
    char *names[64];
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 64) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        names[count] = malloc(strlen(entry->d_name) + 3);
        strcpy(names[count], entry->d_name);
        if (entry->d_type == DT_DIR) strcat(names[count], "/");
        count++;
    }
    closedir(dir);
    qsort(names, count, sizeof names[0], compare_names);
    printf("ls %s:", relative);
    for (int i = 0; i < count; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

static void print_file(const char *relative) {
    int fd = open(at(relative), O_RDONLY);
    if (fd < 0) { report("open for print", 0); return; }
    char buffer[256];
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n < 0) { report("read for print", 0); return; }
    buffer[n] = 0;
    printf("%s = \"", relative);
    for (ssize_t i = 0; i < n; i++) {
        if (buffer[i] == '\n') printf("\\n"); else putchar(buffer[i]);
    }
    printf("\" (%zd bytes)\n", n);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: files DIR\n"); return 2; }
    snprintf(root, sizeof root, "%s", argv[1]);

    report("mkdir work", mkdir(at("work"), 0755) == 0);
    report_errno("mkdir work again", mkdir(at("work"), 0755));

    // Create and write.
    int fd = open(at("work/a.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    report("create work/a.txt", fd >= 0);
    printf("write: %zd\n", write(fd, "hello, file\n", 12));
    report("close", close(fd) == 0);
    report_errno("create work/a.txt exclusively", open(at("work/a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644));

    // Read and seek.
    fd = open(at("work/a.txt"), O_RDONLY);
    char buffer[64] = {0};
    printf("read: %zd \"%.11s\"\n", read(fd, buffer, sizeof buffer), buffer);
    printf("read at end: %zd\n", read(fd, buffer, sizeof buffer));
    printf("lseek set 7: %lld\n", (long long)lseek(fd, 7, SEEK_SET));
    memset(buffer, 0, sizeof buffer);
    printf("read 4: %zd \"%s\"\n", read(fd, buffer, 4), buffer);
    printf("lseek cur -2: %lld\n", (long long)lseek(fd, -2, SEEK_CUR));
    printf("lseek end 0: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    report_errno("lseek before start", (int)lseek(fd, -100, SEEK_SET));
    report_errno("write to read-only fd", (int)write(fd, "x", 1));
    struct stat info;
    report("fstat", fstat(fd, &info) == 0);
    printf("fstat: size=%lld regular=%d\n", (long long)info.st_size, S_ISREG(info.st_mode) ? 1 : 0);
    close(fd);

    // Append, positional write, truncate.
    fd = open(at("work/a.txt"), O_WRONLY | O_APPEND);
    printf("append: %zd\n", write(fd, "more\n", 5));
    close(fd);
    print_file("work/a.txt");
    fd = open(at("work/a.txt"), O_RDWR);
    printf("pwrite at 0: %zd\n", pwrite(fd, "HELLO", 5, 0));
    memset(buffer, 0, sizeof buffer);
    printf("pread at 7: %zd \"%s\"\n", pread(fd, buffer, 4, 7), buffer);
    printf("offset after pread: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    print_file("work/a.txt");
    fd = open(at("work/a.txt"), O_RDWR);
    report("ftruncate 5", ftruncate(fd, 5) == 0);
    close(fd);
    print_file("work/a.txt");
    fd = open(at("work/a.txt"), O_WRONLY | O_TRUNC);
    close(fd);
    report("stat after O_TRUNC", stat(at("work/a.txt"), &info) == 0);
    printf("size after O_TRUNC: %lld\n", (long long)info.st_size);

    // Directories.
    report("stat work", stat(at("work"), &info) == 0);
    printf("work is a directory: %d\n", S_ISDIR(info.st_mode) ? 1 : 0);
    report("mkdir work/sub", mkdir(at("work/sub"), 0755) == 0);
    fd = open(at("work/sub/inner.txt"), O_CREAT | O_WRONLY, 0644);
    write(fd, "inner\n", 6);
    close(fd);
    fd = open(at("work/b.txt"), O_CREAT | O_WRONLY, 0644);
    close(fd);
    list("work");
    list("work/sub");

    // Rename: files, and a directory with its contents.
    report("rename a.txt -> c.txt", rename(at("work/a.txt"), at("work/c.txt")) == 0);
    report_errno("stat a.txt after rename", stat(at("work/a.txt"), &info));
    report("rename sub -> moved", rename(at("work/sub"), at("work/moved")) == 0);
    print_file("work/moved/inner.txt");
    list("work");

    // Errors of common mistakes.
    report_errno("open missing", open(at("work/missing.txt"), O_RDONLY));
    report_errno("open missing dir/file", open(at("work/nodir/x.txt"), O_CREAT | O_WRONLY, 0644));
    report_errno("rmdir non-empty", rmdir(at("work/moved")));
    report_errno("rmdir a file", rmdir(at("work/b.txt")));
    report_errno("open file as directory", open(at("work/b.txt/x"), O_RDONLY));
    report_errno("opendir a file", open(at("work/b.txt"), O_RDONLY | O_DIRECTORY));
    report_errno("unlink missing", unlink(at("work/missing.txt")));

    // Clean up.
    report("unlink moved/inner.txt", unlink(at("work/moved/inner.txt")) == 0);
    report("rmdir moved", rmdir(at("work/moved")) == 0);
    report("unlink b.txt", unlink(at("work/b.txt")) == 0);
    report("unlink c.txt", unlink(at("work/c.txt")) == 0);
    list("work");
    report("rmdir work", rmdir(at("work")) == 0);
    report_errno("stat work after rmdir", stat(at("work"), &info));

    printf("failures: %d\n", guest_failures);
    return guest_failures == 0 ? 0 : 1;
}
