// The tests drive bash scripts, git and /proc: they run on Linux only (as CI does).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
