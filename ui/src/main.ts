import { mount } from "svelte";
import App from "./App.svelte";
import { guardClose } from "./lib/close-guard";
import "./app.css";

const target = document.getElementById("app");
if (!target) throw new Error("the page has no #app element");
// Closing the window first saves what is typed (the composer registers its flush).
guardClose();
export default mount(App, { target });
