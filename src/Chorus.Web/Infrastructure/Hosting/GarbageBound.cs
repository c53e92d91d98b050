namespace Chorus.Infrastructure.Hosting;

/// <summary>
/// Bounds the short-lived garbage a long streaming job (an export, an upload) leaves behind between collections. The GC
/// sizes its young generations from the CPU's last-level cache: on a VM that reports a 260 MiB L3 it let tens of
/// megabytes of such a job's dead rows build up between collections and kept them resident. The runtime's own cap
/// (<c>GCgen0size</c>) is read only from the environment, so these jobs bound their garbage themselves, asking for a
/// collection of generations 0 and 1 once <see cref="Bytes"/> were allocated since the last one. Generation 1 too: a
/// unit of work's rows outlive a gen-0 collection that lands in the middle of it, and pile up there.
/// </summary>
public sealed class GarbageBound
{
    /// <summary>
    /// 8 MB. Measured on the 1M-contact export (BENCHMARKS.md): peak 240–244 MB against 306–309 MB unbounded, no
    /// slower; a gen-0-only collection every 16 MB gave 261–293 MB.
    /// </summary>
    public const long Bytes = 8 * 1024 * 1024;

    private long _allocatedAtLastCollection = GC.GetTotalAllocatedBytes();

    /// <summary>Called between units of work (a page written, a thousand rows inserted): collects when the bound is passed.</summary>
    public void Check()
    {
        var allocated = GC.GetTotalAllocatedBytes();
        if (allocated - _allocatedAtLastCollection >= Bytes)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            _allocatedAtLastCollection = allocated;
        }
    }
}
