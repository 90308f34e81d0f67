//! Calls back on every `requestAnimationFrame` with the wall milliseconds since the last
//! frame. Browsers do not run animation frames in hidden tabs, so the simulation stops
//! ticking there by itself.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

type FrameClosure = Closure<dyn FnMut(f64)>;

/// Runs `on_frame(delta_ms)` on every animation frame while the component is mounted.
#[hook]
pub fn use_animation_frame(on_frame: Callback<f64>) {
    use_effect_with((), move |_| {
        let handle: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
        let pending = Rc::new(Cell::new(0));
        let last: Rc<Cell<Option<f64>>> = Rc::new(Cell::new(None));
        {
            let (handle2, pending2) = (handle.clone(), pending.clone());
            *handle.borrow_mut() = Some(Closure::new(move |t: f64| {
                let delta = last.get().map_or(0.0, |prev| t - prev);
                last.set(Some(t));
                on_frame.emit(delta);
                pending2.set(request(&handle2));
            }));
        }
        pending.set(request(&handle));
        move || {
            if let Some(window) = web_sys::window() {
                window.cancel_animation_frame(pending.get()).ok();
            }
            handle.borrow_mut().take();
        }
    });
}

fn request(handle: &Rc<RefCell<Option<FrameClosure>>>) -> i32 {
    let Some(window) = web_sys::window() else {
        return 0;
    };
    match handle.borrow().as_ref() {
        Some(cb) => window
            .request_animation_frame(cb.as_ref().unchecked_ref())
            .unwrap_or(0),
        None => 0,
    }
}
