using System.Runtime.CompilerServices;

[assembly: CLSCompliant(false)]
