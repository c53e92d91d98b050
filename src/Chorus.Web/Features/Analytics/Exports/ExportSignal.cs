using Chorus.Infrastructure.Hosting;

namespace Chorus.Features.Analytics.Exports;

/// <summary>Wakes the export worker as soon as an export is requested.</summary>
public sealed class ExportSignal : WorkSignal;
