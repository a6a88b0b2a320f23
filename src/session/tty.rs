//! The local terminal of a session: raw mode while attached, its size, and a restore that holds
//! on every way out (drop, panic, signal, `process::exit`).
//!
//! Raw mode is `cfmakeraw` (termios(3)): no echo, no line editing, and no signals from the
//! keyboard, so Ctrl-C and Ctrl-D travel to the pod as bytes 0x03 and 0x04 and the pod's
//! terminal turns them into SIGINT and end-of-file for the shell, as `kubectl attach -t` does.

use std::io;
use std::os::fd::RawFd;
use std::sync::Mutex;

/// The settings the terminal had before raw mode, to put back.
static SAVED: Mutex<Option<(RawFd, libc::termios)>> = Mutex::new(None);

/// The terminal in raw mode; dropping it restores the saved settings.
pub struct Raw(());

/// Puts `fd`'s terminal in raw mode, saving its settings first. A panic hook restores them too
/// (the hook that was there still runs after).
pub fn enter(fd: RawFd) -> io::Result<Raw> {
    // SAFETY: a zeroed termios is a valid out-parameter for tcgetattr, which fills it.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd is an open descriptor; saved is a valid termios to write.
    if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let mut raw = saved;
    // SAFETY: raw is a valid termios.
    unsafe { libc::cfmakeraw(&mut raw) };
    *SAVED.lock().unwrap_or_else(|p| p.into_inner()) = Some((fd, saved));
    install_panic_hook();
    // SAFETY: fd is an open terminal; raw is a valid termios.
    if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &raw) } != 0 {
        let e = io::Error::last_os_error();
        restore();
        return Err(e);
    }
    crate::report::set_raw(true);
    Ok(Raw(()))
}

impl Drop for Raw {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the saved settings back, if raw mode was entered; idempotent. Called before the
/// process exits on a signal, where no destructor runs.
pub fn restore() {
    let saved = SAVED.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some((fd, termios)) = saved {
        // SAFETY: fd was a terminal when saved; termios is the settings tcgetattr gave.
        unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, &termios) };
        crate::report::set_raw(false);
    }
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// The terminal's size as (columns, rows), from `TIOCGWINSZ`; `None` when `fd` is not a
/// terminal or it reports no size.
pub fn size(fd: RawFd) -> Option<(u16, u16)> {
    // SAFETY: a zeroed winsize is a valid out-parameter.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes a winsize to the pointer given.
    let ok = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0 && ws.ws_row > 0).then_some((ws.ws_col, ws.ws_row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_terminal_is_refused_and_restore_is_a_no_op() {
        let file = std::fs::File::open("/dev/null").unwrap();
        let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
        assert!(enter(fd).is_err());
        assert_eq!(size(fd), None);
        restore();
        restore();
    }
}
