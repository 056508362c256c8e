//! Faults around a conversion, as a batch meets them unattended: an input
//! that never ends (a FIFO), a worker process that dies, an interrupt, a
//! file system that refuses to grow, temporary files left by a killed run.
//! Each is made for real (a FIFO, a signal, a file size limit), not
//! simulated inside keikaku.
#![cfg(target_os = "linux")]

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `keikaku`, killed if the test ends before it does (a test that
/// fails must not leave it blocked on a FIFO).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Running {
    fn start(args: &[std::ffi::OsString]) -> Running {
        let child = Command::new(assert_cmd::cargo::cargo_bin("keikaku"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Running(child)
    }

    fn pid(&self) -> i32 {
        self.0.id() as i32
    }

    /// Waits for the end (bounded: a hang fails the test instead of
    /// blocking it) and gives exit code and standard error.
    fn finish(mut self) -> (Option<i32>, String) {
        let status = wait_for("keikaku to end", || self.0.try_wait().unwrap());
        let mut stderr = String::new();
        std::io::Read::read_to_string(self.0.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        (status.code(), stderr)
    }
}

/// Polls `ready` until it gives a value; fails after 60 s.
fn wait_for<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until process `pid` is asleep and has read nothing for a while:
/// a worker between two inputs is woken by the next request at once, so
/// one that reads nothing for a third of a second waits for none.
fn wait_until_idle(pid: i32) {
    let read_so_far = || {
        let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The state follows the parenthesised command name.
        let state = stat.rsplit_once(") ")?.1.chars().next()?;
        let rchar = io.lines().find_map(|l| l.strip_prefix("rchar: "))?;
        (state == 'S').then(|| rchar.trim().to_string())
    };
    let mut last = None;
    let mut quiet_polls = 0;
    wait_for("the worker to be idle", || {
        let now = read_so_far();
        quiet_polls = match now.is_some() && now == last {
            true => quiet_polls + 1,
            false => 0,
        };
        last = now;
        (quiet_polls >= 15).then_some(())
    });
}

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let made = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    path
}

/// The writing end of the FIFO at `path`, once a reader has it open.
fn reader_waits(path: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .ok()
}

/// The processes whose parent is `parent` and whose command line has
/// `word`, from /proc.
fn children(parent: i32, word: &str) -> Vec<i32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid …: comm may hold spaces, so read after ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<i32>().ok());
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let has_word = cmdline.split(|&b| b == 0).any(|arg| arg == word.as_bytes());
        if ppid == Some(parent) && has_word {
            found.push(pid);
        }
    }
    found
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".keikaku-"))
        .collect()
}

/// `convert FLAGS… INPUTS… -o OUT`, as arguments.
fn convert_args(flags: &[&str], inputs: &[&Path], out: &Path) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = vec!["convert".into()];
    args.extend(flags.iter().map(Into::into));
    args.extend(inputs.iter().map(|p| p.as_os_str().to_owned()));
    args.extend(["-o".into(), out.as_os_str().to_owned()]);
    args
}

#[test]
fn an_input_that_never_ends_is_stopped_at_the_time_limit_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let stuck = fifo(dir.path(), "stuck.txt");
    let out = dir.path().join("out");
    let args = convert_args(
        &["--isolate", "--jobs", "1", "--timeout", "1"],
        &[&stuck, &input_path(TAMA_PLAN6_DRAFT)],
        &out,
    );
    let (code, stderr) = Running::start(&args).finish();
    assert_eq!(code, Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(
        lines[0],
        format!(
            "keikaku: error: {}: stopped: over the time limit of 1 s (raise it with --timeout)",
            stuck.display()
        )
    );
    assert!(
        lines[1].starts_with("keikaku: 1 converted, 1 failed"),
        "{stderr}"
    );
    // The one worker was killed; the next input got a new one.
    assert!(out.join(format!("{TAMA_PLAN6_DRAFT}.json")).exists());
}

#[test]
fn a_worker_that_dies_costs_its_input_alone() {
    // As the kernel's out-of-memory killer ends a process, and as abort()
    // does. (Not SIGSEGV: Rust's own handler for it, there to report stack
    // overflows, does not end a process that was sent one.)
    for (signal, how) in [
        (libc::SIGKILL, "killed, perhaps for using too much memory"),
        (libc::SIGABRT, "aborted"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let stuck = fifo(dir.path(), "stuck.txt");
        let out = dir.path().join("out");
        let args = convert_args(
            &["--isolate", "--jobs", "1", "--timeout", "0"],
            &[&stuck, &input_path(TAMA_REPORT)],
            &out,
        );
        let running = Running::start(&args);
        let worker = wait_for("the worker process", || {
            children(running.pid(), "worker").first().copied()
        });
        // SAFETY: kill(2) on a process this test started.
        assert_eq!(unsafe { libc::kill(worker, signal) }, 0);
        let (code, stderr) = running.finish();
        assert_eq!(code, Some(1), "{stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            lines[0],
            format!("keikaku: error: {}: crashed ({how})", stuck.display()),
            "{stderr}"
        );
        assert!(
            lines[1].starts_with("keikaku: 1 converted, 1 failed"),
            "{stderr}"
        );
        // The next input got a new worker.
        assert!(out.join(format!("{TAMA_REPORT}.json")).exists());
    }
}

#[test]
fn an_interrupted_batch_leaves_no_temporary_file_and_says_what_is_missing() {
    // Ctrl-C is SIGINT; a service manager's stop, SIGTERM.
    for (isolation, signal) in [("--no-isolate", libc::SIGTERM), ("--isolate", libc::SIGINT)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let stuck = fifo(dir.path(), "stuck.txt");
        let args = convert_args(
            &["--format", "json,jsonl", "--jobs", "1", isolation],
            &[
                &input_path(TAMA_PLAN6_DRAFT),
                &input_path(SHAKYO_SUMMARY),
                &stuck,
            ],
            &out,
        );
        let running = Running::start(&args);
        let written = [TAMA_PLAN6_DRAFT, SHAKYO_SUMMARY].map(|s| out.join(format!("{s}.json")));
        wait_for(
            "the first documents and records.jsonl's temporary file",
            || (written.iter().all(|p| p.exists()) && !temporaries(&out).is_empty()).then_some(()),
        );
        // The batch counts an input done just after its document is
        // written: the signal goes once the third input is being read
        // (a FIFO opens for writing without blocking only when its reader
        // has it open), so that the count is settled. The writing end is
        // kept open, so the reader waits for data rather than ending.
        let _writer = wait_for("the stuck input to be opened", || reader_waits(&stuck));
        // SAFETY: kill(2) on a process this test started.
        assert_eq!(unsafe { libc::kill(running.pid(), signal) }, 0);
        let (code, stderr) = running.finish();
        assert_eq!(code, Some(130), "{isolation}: {stderr}");
        // The two documents written count; the input stuck on does not.
        assert_eq!(
            stderr.trim_end(),
            "keikaku: interrupted after 2 of 3 inputs; records.jsonl not written",
            "{isolation}"
        );
        assert_eq!(temporaries(&out), Vec::<String>::new(), "{isolation}");
        assert!(!out.join("records.jsonl").exists());
        // Documents written before the interrupt stay.
        assert!(written.iter().all(|p| p.exists()), "{isolation}");
    }
}

#[test]
fn temporary_files_of_a_killed_run_are_removed_by_the_next_and_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // No process has this id (Linux's largest is 2^22).
    let stale = out.join(".keikaku-999999999-Ab12Cd");
    std::fs::write(&stale, "{\"partial\": ").unwrap();
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    // A file of a run still going on (this test's process) is not touched,
    // nor a file of another program.
    let live = out.join(format!(".keikaku-{}-Xy34Zw", std::process::id()));
    std::fs::write(&live, "").unwrap();
    let other = out.join(".keikaku.toml");
    std::fs::write(&other, "").unwrap();
    // A user's file that only starts like one, however old, is not either.
    let users = out.join(".keikaku-notes");
    std::fs::write(&users, "mine").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&users)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let output = convert_cmd(input_path(TAMA_PLAN6_DRAFT), &out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let lines = stderr_lines(&output);
    assert_eq!(
        lines,
        [format!(
            "keikaku: note: {}: removed 1 temporary file(s) that an interrupted run left: .keikaku-999999999-Ab12Cd",
            out.display()
        )]
    );
    assert!(!stale.exists());
    assert!(live.exists() && other.exists() && users.exists());
}

#[test]
fn a_full_disk_on_the_combined_records_spares_every_document() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    // Forty inputs: each document's JSON fits under the file size limit,
    // the records of all of them do not.
    let text = input_text(MACHIDA_REPORT);
    for n in 0..40 {
        std::fs::write(inputs.join(format!("report-{n:02}.txt")), &text).unwrap();
    }
    let out = dir.path().join("out");
    let limit: u64 = 1 << 20;
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("keikaku"));
    command
        .args(["convert", "--format", "json,jsonl"])
        .arg(&inputs)
        .arg("-o")
        .arg(&out);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, move || {
            // A write past the limit fails with EFBIG, as on a full disk,
            // instead of killing the process with SIGXFSZ.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with(&format!(
            "keikaku: error: {}: cannot write: ",
            out.join("records.jsonl").display()
        )) && lines[0].ends_with("; records.jsonl not written, the other outputs go on"),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        format!(
            "keikaku: error: {}: not written: it would describe no file",
            out.join("datapackage.json").display()
        )
    );
    assert!(
        lines[2].starts_with("keikaku: 40 converted, 0 failed"),
        "{stderr}"
    );
    for n in 0..40 {
        let json = out.join(format!("report-{n:02}.json"));
        let size = std::fs::metadata(&json).unwrap().len();
        assert!(size > 0 && size < limit, "report-{n:02}.json");
    }
    assert!(!out.join("records.jsonl").exists());
    assert_eq!(temporaries(&out), Vec::<String>::new());
}

#[test]
fn a_worker_killed_while_idle_does_not_fail_the_next_input() {
    let dir = tempfile::tempdir().unwrap();
    // Nine inputs on one job: the first input's records are more than a
    // pipe holds, so printing them waits on this test reading; meanwhile
    // the worker converts the inputs that may wait (eight on one job) and
    // then is idle, the ninth held back until there is room.
    let mut args: Vec<std::ffi::OsString> = ["records", "--isolate", "--jobs", "1"]
        .map(Into::into)
        .to_vec();
    for n in 0..9 {
        let input = dir.path().join(format!("report-{n}.txt"));
        std::fs::copy(input_path(MACHIDA_REPORT), &input).unwrap();
        args.push(input.into());
    }
    let mut running = Running::start(&args);
    let mut stdout = running.0.stdout.take().unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    let worker = wait_for("the worker process", || {
        children(running.pid(), "worker").first().copied()
    });
    wait_until_idle(worker);
    // SAFETY: kill(2) on a process this test started.
    assert_eq!(unsafe { libc::kill(worker, libc::SIGKILL) }, 0);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let (code, stderr) = running.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.starts_with("keikaku: 9 converted, 0 failed"),
        "{stderr}"
    );
    let printed = format!("{}{rest}", char::from(first[0]));
    assert_eq!(printed.lines().count(), 9 * 156);
}
