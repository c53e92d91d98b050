using System.Runtime.InteropServices;

namespace Chorus.Infrastructure.Hosting;

/// <summary>The C library's heap, where SQLite and other native code keep their memory.</summary>
internal static class NativeHeap
{
    /// <summary>
    /// Hands the free pages of glibc's heaps back to the system (<c>malloc_trim(0)</c>). glibc returns freed memory on its
    /// own only from the top of a heap, so the page cache an import's SQLite connection grew and then shrank stayed
    /// resident. A no-op where the C library is not glibc (musl has no <c>malloc_trim</c>) or the OS is not Linux.
    /// </summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }

    // DllImport rather than LibraryImport, which would need unsafe code enabled for the whole app: the signature is
    // blittable, so there is nothing to marshal.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
