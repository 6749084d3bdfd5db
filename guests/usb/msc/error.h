// One error message at a time: the layer that finds a problem describes it, returns -1, and
// main prints it. Later layers may prefix context ("reading /DOCS/A.TXT: ...").
#ifndef MSC_ERROR_H
#define MSC_ERROR_H

__attribute__((format(printf, 1, 2))) int msc_error(const char *format, ...);
// Puts "context: " before the current message; returns -1.
__attribute__((format(printf, 1, 2))) int msc_error_context(const char *format, ...);
const char *msc_error_message(void);

#endif
