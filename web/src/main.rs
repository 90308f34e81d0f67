//! Entry point: install the panic page, then mount the playground.

fn main() {
    svcplay_web::start();
}
