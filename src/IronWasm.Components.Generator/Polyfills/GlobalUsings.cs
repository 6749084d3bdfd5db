// The implicit usings the linked sources expect (ImplicitUsings is off: netstandard2.0 lacks some).
global using System;
global using System.Collections.Generic;
global using System.IO;
global using System.Linq;
